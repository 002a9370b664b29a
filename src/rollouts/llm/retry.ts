/**
 * Retries with exponential backoff on retryable failures (429, 5xx, network, per-attempt timeout),
 * honouring Retry-After; each attempt gets its own deadline; the caller's signal stops everything.
 */
import { RolloutError, isRolloutError, type RolloutErrorCode } from '../errors.js';
import { deadline } from '../util/deadline.js';

export interface RetryOptions {
  retries: number;
  /** Deadline of one attempt. */
  timeoutMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal | undefined;
  /** Injected in tests; default waits on a timer that the signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  timeoutCode?: RolloutErrorCode;
  onRetry?: (attempt: number, delayMs: number, err: RolloutError) => void;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function withRetry<T>(attempt: (signal: AbortSignal, n: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const sleep = o.sleep ?? abortableSleep;
  const random = o.random ?? Math.random;
  const base = o.baseDelayMs ?? 500;
  const max = o.maxDelayMs ?? 10_000;
  for (let n = 0; ; n++) {
    const limit = deadline(o.timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, limit.signal]) : limit.signal;
    let err: RolloutError;
    try {
      return await attempt(signal, n);
    } catch (e) {
      if (o.signal?.aborted) throw isRolloutError(o.signal.reason) ? o.signal.reason : new RolloutError(o.timeoutCode ?? 'SG_ROLLOUT_LLM_TIMEOUT', 'aborted', { cause: e });
      if (limit.signal.aborted) err = new RolloutError(o.timeoutCode ?? 'SG_ROLLOUT_LLM_TIMEOUT', `no answer within ${o.timeoutMs} ms`, { cause: e, retryable: true });
      else if (isRolloutError(e)) err = e;
      else throw e;
    } finally {
      limit.clear();
    }
    if (!err.retryable || n >= o.retries) throw err;
    const backoff = Math.min(max, base * 2 ** n) * (0.5 + random() / 2);
    const delay = err.retryAfter !== undefined ? Math.min(max, err.retryAfter * 1000) : backoff;
    o.onRetry?.(n + 1, delay, err);
    await sleep(delay, o.signal);
  }
}
