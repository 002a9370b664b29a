/**
 * waitFor(watch, predicate, deadline): the one helper every Kubernetes backend uses to wait for a
 * state — LIST once, then WATCH from that resourceVersion (never polls). The predicate sees the
 * current objects of the selection after every change and returns a result (done), undefined
 * (keep waiting) or throws (terminal). Watches closed by the server resume from the last
 * resourceVersion; 410 Gone re-lists.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../errors/errors.js';
import { kubeMessage, kubeStatus } from './errors.js';
import type { ListWatch, WatchHandle } from './list-watch.js';

export interface WaitOptions {
  /** Absolute deadline (epoch ms). */
  deadline: number;
  signal?: AbortSignal | undefined;
  /** Describes the awaited state in errors, e.g. "claim sg-alice to become Ready". */
  what?: string;
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function waitFor<T extends KubernetesObject, R>(
  source: ListWatch<T>,
  predicate: (objects: readonly T[]) => R | undefined,
  options: WaitOptions,
): Promise<R> {
  const what = options.what ?? source.what;
  return new Promise<R>((resolve, reject) => {
    const objects = new Map<string, T>();
    let handle: WatchHandle | undefined;
    let resourceVersion = '';
    let finished = false;

    const finish = (fn: () => void) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      handle?.stop();
      fn();
    };
    const fail = (err: unknown) => finish(() => reject(err));
    const timer = setTimeout(
      () => fail(new SandgateError('SG_ENSURE_TIMEOUT', `${what} did not happen in time`)),
      Math.max(0, options.deadline - Date.now()),
    );
    const evaluate = () => {
      let result: R | undefined;
      try {
        result = predicate([...objects.values()]);
      } catch (err) {
        fail(err);
        return;
      }
      if (result !== undefined) finish(() => resolve(result as R));
    };
    const onAbort = () =>
      fail(new SandgateError('SG_ENSURE_ABORTED', `gave up waiting for ${what}`, { cause: options.signal?.reason }));
    const unavailable = (err: unknown) =>
      new SandgateError('SG_BACKEND_UNAVAILABLE', `watching ${what} failed: ${kubeMessage(err)}`, { cause: err });

    const relist = async () => {
      const listed = await source.list();
      if (finished) return;
      objects.clear();
      for (const o of listed.items) objects.set(keyOf(o), o);
      resourceVersion = listed.resourceVersion;
      evaluate();
    };
    const startWatch = async (): Promise<void> => {
      if (finished) return;
      let gone = false;
      const h = await source.watch(resourceVersion, {
        onEvent(type, object) {
          if (finished) return;
          if (object.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
          if (type === 'DELETED') objects.delete(keyOf(object));
          else objects.set(keyOf(object), object);
          evaluate();
        },
        onError(status) {
          if (status.code === 410) gone = true;
          else fail(unavailable(new Error(status.message ?? `watch error ${status.code ?? ''}`)));
        },
        onDone(err) {
          if (finished) return;
          if (err && kubeStatus(err) !== 410) return fail(unavailable(err));
          // Closed by the server (timeout) or expired resourceVersion: resume, re-listing when needed.
          const next = gone || err ? relist().then(startWatch) : startWatch();
          next.catch((e: unknown) => fail(unavailable(e)));
        },
      });
      if (finished) h.stop();
      else handle = h;
    };

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    relist()
      .then(startWatch)
      .catch((err: unknown) => fail(unavailable(err)));
  });
}
