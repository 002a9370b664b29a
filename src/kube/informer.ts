/**
 * Starting and keeping @kubernetes/client-node informers: start() there resolves even when the first
 * LIST or WATCH is refused (it only reports through 'error' callbacks and then stops). Here a refused
 * start rejects with the reason, and a running informer that later fails restarts after a pause.
 */
import type { Informer, KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../errors/errors.js';
import { kubeMessage } from './errors.js';
import { listRetrying } from './list-watch.js';

const RESTART_DELAY_MS = 1000;

export interface Running {
  stop(): Promise<void>;
}

/** Starts once; rejects with the error the first LIST/WATCH reported (the informer is stopped again then). */
async function startOnce<T extends KubernetesObject>(informer: Informer<T>): Promise<void> {
  let failure: unknown;
  const onStartError = (err: unknown) => (failure ??= err ?? new Error('unknown error'));
  informer.on('error', onStartError);
  try {
    await informer.start();
  } finally {
    informer.off('error', onStartError);
  }
  if (failure !== undefined) {
    await informer.stop();
    throw failure;
  }
}

export async function startInformer<T extends KubernetesObject>(informer: Informer<T>, what: string): Promise<Running> {
  // A 429 (priority and fairness, or storage initialising right after a CRD was created) is waited out.
  try {
    await listRetrying(() => startOnce(informer));
  } catch (failure) {
    throw new SandgateError('SG_BACKEND_UNAVAILABLE', `list/watch of ${what} failed: ${kubeMessage(failure)}`, { cause: failure });
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
