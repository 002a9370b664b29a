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
