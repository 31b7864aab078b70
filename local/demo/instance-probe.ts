import type { LocalInstanceInfo } from '../stack/options.ts';
import type { InstanceCheck } from './demo-report.ts';

/** Asks an instance's app, over HTTP on its port, what it serves and whether it is healthy. */
export async function probeInstance(instance: LocalInstanceInfo): Promise<InstanceCheck> {
  const base = `http://127.0.0.1:${instance.httpPort}`;
  const [version, healthy] = await Promise.all([
    fetchText(`${base}/version`).then((r) => (r?.ok ? r.text.trim() : null)),
    fetchText(`${base}/health`).then((r) => r?.ok === true),
  ]);
  return { id: instance.id, name: instance.name, version, healthy };
}

async function fetchText(url: string): Promise<{ ok: boolean; text: string } | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { ok: response.ok, text: await response.text() };
  } catch {
    return null;
  }
}
