/**
 * One provisioning per tenant, many waiters: each ensure() waits on the tenant's one pending
 * provisioning with its own AbortSignal. When the last waiter gives up while it is still starting,
 * the provisioning itself is aborted (it cleans up what it created) and the entry is forgotten.
 */
import { raceAbort } from '../util/abort.js';
import type { Endpoint } from './types.js';

export interface Flight {
  state: string;
  abort: AbortController;
  waiters: number;
}

/** Waits on `pending` (the entry's one provisioning) for one caller; `forget` drops the entry when the last waiter aborts. */
export async function awaitFlight(entry: Flight, pending: Promise<Endpoint>, signal: AbortSignal, forget: () => void): Promise<Endpoint> {
  entry.waiters++;
  try {
    return await raceAbort(pending, signal);
  } catch (err) {
    if (signal.aborted && entry.waiters === 1 && entry.state === 'starting') {
      entry.abort.abort(signal.reason);
      forget();
      await pending.catch(() => undefined);
    }
    throw err;
  } finally {
    entry.waiters--;
  }
}
