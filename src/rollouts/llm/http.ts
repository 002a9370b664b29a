/** JSON POST for the HTTP-speaking providers; failures become RolloutErrors with retryability. */
import { RolloutError, retryableStatus, type RolloutErrorCode } from '../errors.js';

export function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

export async function postJson(url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal, code: RolloutErrorCode = 'SG_ROLLOUT_LLM_FAILED'): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new RolloutError(code, `POST ${new URL(url).pathname}: ${(err as Error).message}`, { cause: err, retryable: true });
  }
  const text = await res.text();
  if (!res.ok) {
    const retryAfter = retryAfterSeconds(res.headers.get('retry-after'));
    throw new RolloutError(code, `POST ${new URL(url).pathname}: HTTP ${res.status} ${text.slice(0, 200)}`, {
      retryable: retryableStatus(res.status),
      ...(retryAfter === undefined ? {} : { retryAfter }),
      detail: { status: res.status },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RolloutError('SG_ROLLOUT_LLM_UNPARSABLE', `POST ${new URL(url).pathname}: response is not JSON`, { cause: err });
  }
}

/** Joins a base URL and a path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}
