/** HTTP status of a failed Kubernetes call (generated clients, Watch, or a watch ERROR event). */
import { ApiException } from '@kubernetes/client-node';

export function kubeStatus(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (typeof err === 'object' && err !== null) {
    const e = err as { statusCode?: unknown; code?: unknown };
    if (typeof e.statusCode === 'number') return e.statusCode;
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

/** A short, secret-free description of a failed Kubernetes call. */
export function kubeMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    let message: string | undefined;
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === 'string') message = parsed.message;
      } catch {
        message = body.slice(0, 300);
      }
    } else if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
      message = (body as { message: string }).message;
    }
    return `HTTP ${err.code}${message ? `: ${message}` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export const isNotFound = (err: unknown): boolean => kubeStatus(err) === 404;
export const isConflict = (err: unknown): boolean => kubeStatus(err) === 409;

/**
 * For a 429 (API priority and fairness, or a resource whose storage is still initialising right after
 * its CRD was created): how long the server asks to wait, from `details.retryAfterSeconds` or the
 * Retry-After header (1 s when it names none). undefined for every other error.
 */
export function retryAfterMs(err: unknown): number | undefined {
  if (kubeStatus(err) !== 429) return undefined;
  let seconds: number | undefined;
  if (err instanceof ApiException) {
    const header = Number(err.headers['retry-after']);
    if (Number.isFinite(header) && header > 0) seconds = header;
    if (seconds === undefined && typeof err.body === 'string') {
      try {
        const retry = (JSON.parse(err.body) as { details?: { retryAfterSeconds?: unknown } }).details?.retryAfterSeconds;
        if (typeof retry === 'number' && retry > 0) seconds = retry;
      } catch {
        // not a Status body
      }
    }
  }
  return (seconds ?? 1) * 1000;
}
