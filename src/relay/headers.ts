/** Header hygiene for forwarding: hop-by-hop and identity headers never reach a sandbox. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export interface ForwardHeaderOptions {
  /** Lower-case names to drop in addition to hop-by-hop headers (identity, authorization). */
  strip: readonly string[];
  /** Headers the endpoint asks for (e.g. a router Host); they win over the caller's. */
  extra?: Record<string, string> | undefined;
  /** Keep `Connection: Upgrade` + `Upgrade: websocket` for a WebSocket handshake. */
  upgrade: boolean;
  /** Value for Host when `extra` does not set one. */
  host: string;
}

export function forwardHeaders(incoming: IncomingHttpHeaders, options: ForwardHeaderOptions): OutgoingHttpHeaders {
  const listed = String(incoming.connection ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const drop = new Set([...HOP_BY_HOP, ...listed, ...options.strip, 'authorization']);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || drop.has(name)) continue;
    out[name] = value;
  }
  if (options.upgrade) {
    out.connection = 'Upgrade';
    out.upgrade = 'websocket';
  }
  out.host = options.host;
  for (const [name, value] of Object.entries(options.extra ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** Response headers from a sandbox, minus hop-by-hop ones, for re-emission to the client. */
export function responseHeaders(raw: string[], keepUpgrade: boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (!keepUpgrade && (HOP_BY_HOP.has(lower) || lower === 'content-length')) continue;
    out.push([name, raw[i + 1] as string]);
  }
  return out;
}
