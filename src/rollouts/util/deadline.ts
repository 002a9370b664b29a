/** Deadlines whose timers keep the process alive (unlike AbortSignal.timeout) and are cleared when done. */
import { RolloutError, type RolloutErrorCode } from '../errors.js';

export function deadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error(`deadline of ${ms} ms passed`)), ms);
  return { signal: ctl.signal, clear: () => clearTimeout(timer) };
}

/** Settles like `work`, or rejects with `code` as soon as `signal` aborts. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal, code: RolloutErrorCode = 'SG_ROLLOUT_ANALYSIS_TIMEOUT'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RolloutError(code, 'did not finish in time', { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
