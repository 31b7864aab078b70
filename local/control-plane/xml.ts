/** Builds the small XML documents the EC2 query protocol answers with. */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** `<name>text</name>` with the text escaped; nothing when the value is undefined. */
export function textElement(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>inner</name>` where `inner` is already XML. */
export function element(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** An EC2 list: `<name><item>..</item>..</name>`, or `<name/>` when empty, as EC2 writes it. */
export function itemList(name: string, items: readonly string[]): string {
  if (items.length === 0) return `<${name}/>`;
  return element(name, items.map((inner) => element('item', inner)).join(''));
}
