import { XMLParser } from 'fast-xml-parser';
import { malformedXml } from '../s3-error.ts';

/** The namespace every S3 response document declares. */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

// S3's "XML related object key constraints" (user guide, object keys): besides the five
// predefined entities, carriage returns and line feeds must be sent as character references or
// XML parsers fold them; other control characters get references too so no byte is lost.
const CONTROL_OR_SPECIAL = /[&<>"'\p{Cc}]/gu;

const NAMED: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(
    CONTROL_OR_SPECIAL,
    (char) => NAMED[char] ?? `&#${char.charCodeAt(0).toString(10)};`,
  );
}

/** `<name>value</name>` with the value escaped. */
export function element(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Like `element`, but nothing at all when the value is undefined. */
export function optionalElement(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : element(name, value);
}

/** `<name>` around already rendered children. */
export function container(name: string, children: readonly string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A whole response document: declaration plus a root element in S3's namespace. */
export function xmlDocument(root: string, children: readonly string[]): string {
  const open = `<${root} xmlns="${S3_NAMESPACE}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}${children.join('')}</${root}>`;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  // Keys are text, never numbers, and their leading and trailing spaces are part of the key.
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'Object' || name === 'Part',
});

export type XmlTree = { readonly [name: string]: XmlValue };
export type XmlValue = string | XmlTree | readonly XmlValue[];

/** Parses a small request document (DeleteObjects, CompleteMultipartUpload, versioning). */
export function parseXml(body: Buffer): XmlTree {
  try {
    const parsed: unknown = parser.parse(body.toString('utf8'), true);
    if (typeof parsed !== 'object' || parsed === null) throw malformedXml();
    return parsed as XmlTree;
  } catch {
    throw malformedXml();
  }
}

/** The child element `name` of a parsed element, if it is itself an element. */
export function childTree(tree: XmlValue | undefined, name: string): XmlTree | undefined {
  if (tree === undefined || typeof tree === 'string' || Array.isArray(tree)) return undefined;
  const child = (tree as XmlTree)[name];
  if (child === undefined || typeof child === 'string' || Array.isArray(child)) {
    // An empty element parses as the empty string; treat it as an element with no children.
    return child === '' ? {} : undefined;
  }
  return child as XmlTree;
}

/** The text of child element `name`, if present. */
export function childText(tree: XmlTree | undefined, name: string): string | undefined {
  const child = tree?.[name];
  return typeof child === 'string' ? child : undefined;
}

/** The repeated child elements `name` (declared as arrays in the parser options). */
export function childList(tree: XmlTree | undefined, name: string): XmlTree[] {
  const child = tree?.[name];
  if (!Array.isArray(child)) return [];
  return child.map((item) => (typeof item === 'object' && !Array.isArray(item) ? item : {}));
}
