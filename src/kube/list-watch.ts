/**
 * The minimal list + watch seam that waitFor() and the informers of every Kubernetes backend use.
 * `listWatch()` builds one from a resource path and a list call of @kubernetes/client-node.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { retryAfterMs } from './errors.js';

/** LIST answered 429: retried after the server's Retry-After (capped), at most this many times, as client-go does. */
export const LIST_RETRIES_ON_429 = 10;
const MAX_RETRY_DELAY_MS = 5_000;

/** Calls `list` (a LIST, or an informer start), waiting out 429 answers (too many requests, storage initialising) before giving up with the last one. */
export async function listRetrying<R>(list: () => Promise<R>, retries = LIST_RETRIES_ON_429): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await list();
    } catch (err) {
      const wait = retryAfterMs(err);
      if (wait === undefined || attempt >= retries) throw err;
      await sleep(Math.min(wait, MAX_RETRY_DELAY_MS));
    }
  }
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchHandle {
  stop(): void;
}

export interface ListWatch<T extends KubernetesObject> {
  /** Describes the selection, for errors ("sandboxclaims sg-alice in ns"). */
  readonly what: string;
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  /**
   * Watches from `resourceVersion`. `onEvent` gets every change, `onError` a watch ERROR event's
   * status (410 Gone → the caller re-lists), `onDone` the end of the stream (null = closed by the server).
   */
  watch(
    resourceVersion: string,
    handlers: { onEvent(type: WatchEventType, object: T): void; onError(status: { code?: number; message?: string }): void; onDone(err: unknown): void },
  ): Promise<WatchHandle>;
}

export interface Selection {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Collection path of a resource: `/api/v1/namespaces/ns/pods`, `/apis/g/v/namespaces/ns/plural`. */
export function resourcePath(r: { group: string; version: string; plural: string; namespace?: string }): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${base}${r.namespace ? `/namespaces/${r.namespace}` : ''}/${r.plural}`;
}

const isEventType = (t: string): t is WatchEventType => t === 'ADDED' || t === 'MODIFIED' || t === 'DELETED';

export function listWatch<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  selection: Selection,
  list: () => Promise<KubernetesListObject<T>>,
): ListWatch<T> {
  const watcher = new Watch(kc);
  const selectors = [selection.fieldSelector, selection.labelSelector].filter(Boolean).join(' ');
  return {
    what: `${path}${selectors ? ` (${selectors})` : ''}`,
    async list() {
      const result = await listRetrying(list);
      return { items: result.items, resourceVersion: result.metadata?.resourceVersion ?? '' };
    },
    async watch(resourceVersion, handlers) {
      const params: Record<string, string | boolean> = { resourceVersion, allowWatchBookmarks: true };
      if (selection.labelSelector) params.labelSelector = selection.labelSelector;
      if (selection.fieldSelector) params.fieldSelector = selection.fieldSelector;
      const controller = await watcher.watch(
        path,
        params,
        (type: string, object: unknown) => {
          if (type === 'ERROR') handlers.onError((object ?? {}) as { code?: number; message?: string });
          else if (isEventType(type)) handlers.onEvent(type, object as T);
        },
        (err: unknown) => handlers.onDone(err ?? null),
      );
      return { stop: () => controller.abort() };
    },
  };
}
