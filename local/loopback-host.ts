const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a request's Host header names a loopback server on `port`. The local servers listen
 * on 127.0.0.1 only, but a web page can still reach them by making its own domain resolve to
 * 127.0.0.1 (DNS rebinding); its requests then carry that domain as Host. Refusing every other
 * name keeps a browser tab from uploading releases or sending commands to local instances.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]+)(?::([0-9]+))?$/.exec(host.trim().toLowerCase());
  if (match === null) return false;
  const [, name, portText] = match;
  if (name === undefined || !LOOPBACK_NAMES.has(name)) return false;
  return portText === undefined || Number(portText) === port;
}

/** The one-line refusal both local servers send for a Host that is not loopback. */
export function foreignHostMessage(host: string | undefined): string {
  return (
    `Host ${JSON.stringify(host ?? '')} is not 127.0.0.1, localhost or [::1]: ` +
    "Signet's local endpoints answer only requests addressed to this machine's loopback"
  );
}
