/** Stable error codes for failed samples, read from what the client library reports. */

/** The client gave up at its own deadline. */
export const CLIENT_TIMEOUT = 'CLIENT_TIMEOUT';
/** Any other client-side failure without a gateway code or HTTP status. */
export const CLIENT_ERROR = 'CLIENT_ERROR';

const MAX_MESSAGE = 300;

/**
 * The code of a failed sample: the error's own code (a SandgateError, or a code this bench set), the gateway's `{"error":{"code":"SG_…"}}` body (Playwright puts the
 * refused handshake's body into its message), else any `SG_*` token, else `HTTP_<status>` of a refused
 * WebSocket handshake (e.g. a sandbox answering 428), else CLIENT_TIMEOUT, else Chromium's `net::ERR_*` as
 * `NET_ERR_*` (the page could not be loaded from inside the sandbox), else CLIENT_ERROR.
 */
export function errorCode(err: unknown, timedOut = false): string {
  const own = (err as { code?: unknown } | null)?.code;
  if (typeof own === 'string' && /^(SG|CLIENT|HTTP)_[A-Z0-9_]+$/.test(own)) return own; // thrown in this process
  const message = err instanceof Error ? err.message : String(err);
  const body = /"code"\s*:\s*"(SG_[A-Z_]+)"/.exec(message);
  if (body?.[1]) return body[1];
  const bare = /\b(SG_[A-Z][A-Z_]*[A-Z])\b/.exec(message);
  if (bare?.[1]) return bare[1];
  if (timedOut || (err instanceof Error && err.name === 'TimeoutError')) return CLIENT_TIMEOUT;
  const status = /WebSocket error: \S+ (\d{3})\b/.exec(message) ?? /Unexpected server response: (\d{3})\b/.exec(message);
  if (status?.[1]) return `HTTP_${status[1]}`;
  const net = /net::(ERR_[A-Z_]+)/.exec(message);
  if (net?.[1]) return `NET_${net[1]}`; // Chromium's network error, e.g. the target is unreachable from the sandbox
  return CLIENT_ERROR;
}

/**
 * A short, single-line message safe to keep in the result file: the gateway's own message when there
 * is one, WebSocket URLs masked (they can carry a sandbox's secret path), ANSI codes and call logs dropped.
 */
export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const gateway = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(raw);
  let text = gateway?.[1] !== undefined ? unescapeJson(gateway[1]) : (raw.split('\nCall log:')[0] ?? raw);
  text = text
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/\b(wss?|https?):\/\/[^\s"']+/g, (url) => maskUrl(url))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

function unescapeJson(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/** Keeps scheme, host and port; drops path, query and credentials. */
function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<url>';
  }
}
