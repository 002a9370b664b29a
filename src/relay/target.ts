import { SandgateError } from '../errors/errors.js';

/** Where the relay sends a request. The relay knows nothing of tenants or backends. */
export interface RelayTarget {
  host: string;
  port: number;
  /** Full path and query on the upstream, e.g. `/3f9c…/playwright?x=1`. */
  path: string;
  /** Headers to add (they override the caller's). */
  headers?: Record<string, string> | undefined;
  /** A Unix socket to connect to instead of host:port (sandboxes without a network). */
  socketPath?: string | undefined;
  /** Statuses a router in front of the upstream answers itself; see routerAnswer(). */
  routerStatuses?: readonly number[] | undefined;
}

/** Connection options for http.request: a Unix socket when given, else host and port. */
export function connectOptions(target: RelayTarget): { socketPath: string } | { host: string; port: number } {
  return target.socketPath ? { socketPath: target.socketPath } : { host: target.host, port: target.port };
}

export interface RelayLimits {
  /** Time allowed to connect and get the upstream's response head. */
  connectTimeoutMs: number;
  /** Close a connection with no traffic either way for this long (0 = never). */
  idleTimeoutMs: number;
  /** Lower-case header names to strip (identity headers). */
  stripHeaders: readonly string[];
}

export function hostHeader(target: RelayTarget): string {
  if (target.socketPath) return 'sandbox';
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/**
 * True for a router's own answer (e.g. 502 actor suspended mid-request, 503 no worker, 504 route
 * timeout) rather than the upstream's real one (relayed as is). A JSON body is the sandbox runtime's
 * own error and is relayed.
 */
export function isRouterAnswer(target: RelayTarget, status: number, contentType: string | undefined): boolean {
  return target.routerStatuses?.includes(status) === true && !/json/i.test(contentType ?? '');
}

/** A router's own answer as a typed error: 504 → SG_UPSTREAM_TIMEOUT, else SG_UPSTREAM_UNREACHABLE. */
export function routerError(status: number, body: string): SandgateError {
  const text = `router answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  return new SandgateError(status === 504 ? 'SG_UPSTREAM_TIMEOUT' : 'SG_UPSTREAM_UNREACHABLE', text, { detail: { routerStatus: status } });
}
