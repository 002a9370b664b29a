/**
 * Starting and keeping @kubernetes/client-node informers: start() there resolves even when the first
 * LIST or WATCH is refused (it only reports through 'error' callbacks and then stops). Here a refused
 * start rejects with the reason, and a running informer that later fails restarts after a pause.
 */
import type { Informer, KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../errors/errors.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubeMessage, retryAfterMs } from './errors.js';
import { LIST_RETRIES_ON_429 } from './list-watch.js';

const RESTART_DELAY_MS = 1000;

export interface Running {
  stop(): Promise<void>;
}

/** Starts once; resolves with the error the first LIST/WATCH reported (the informer is stopped again then). */
async function startOnce<T extends KubernetesObject>(informer: Informer<T>): Promise<unknown> {
  let failure: unknown;
  const onStartError = (err: unknown) => (failure ??= err ?? new Error('unknown error'));
  informer.on('error', onStartError);
  try {
    await informer.start();
  } finally {
    informer.off('error', onStartError);
  }
  if (failure !== undefined) await informer.stop();
  return failure;
}

export async function startInformer<T extends KubernetesObject>(informer: Informer<T>, what: string): Promise<Running> {
  // A 429 (priority and fairness, or storage initialising right after a CRD was created) is waited out.
  for (let attempt = 0; ; attempt++) {
    const failure = await startOnce(informer);
    if (failure === undefined) break;
    const wait = retryAfterMs(failure);
    if (wait === undefined || attempt >= LIST_RETRIES_ON_429) {
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `list/watch of ${what} failed: ${kubeMessage(failure)}`, { cause: failure });
    }
    await sleep(Math.min(wait, 5_000));
  }
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  informer.on('error', () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void informer.start().catch(() => undefined), RESTART_DELAY_MS);
    timer.unref();
  });
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await informer.stop();
    },
  };
}
