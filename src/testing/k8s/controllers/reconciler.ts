/**
 * What the test controllers share: informers that map events to object keys, and a reconcile queue
 * that runs one reconcile per key at a time, coalescing events that arrive meanwhile (as
 * controller-runtime's work queue does). A reconcile may ask to run again after a delay.
 */
import { CoreV1Api, CustomObjectsApi, makeInformer, PatchStrategy, setHeaderOptions, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { isConflict, isNotFound } from '../../../kube/errors.js';
import { startInformer, type Running } from '../../../kube/informer.js';

export interface Key {
  namespace: string;
  name: string;
}

/** A reconcile's answer: nothing more to do, or run again after `requeueMs`. */
export type Result = { requeueMs: number } | void;

const keyOf = (k: Key) => `${k.namespace}/${k.name}`;

export class Reconciler {
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly informers: Running[] = [];
  private closed = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly reconcile: (key: Key) => Promise<Result>,
    private readonly label: string,
  ) {}

  /** Runs an informer on `path`; every add/update/delete enqueues the keys `toKeys` maps the object to. */
  async watch<T extends KubernetesObject>(path: string, list: () => Promise<KubernetesListObject<T>>, toKeys: (obj: T) => Key[], labelSelector?: string): Promise<void> {
    const informer = makeInformer<T>(this.kc, path, list, labelSelector);
    const on = (obj: T) => toKeys(obj).forEach((k) => this.enqueue(k));
    informer.on('add', on);
    informer.on('update', on);
    informer.on('delete', on);
    this.informers.push(await startInformer(informer, path));
  }

  enqueue(key: Key): void {
    if (this.closed) return;
    const id = keyOf(key);
    if (this.running.has(id)) {
      this.dirty.add(id);
      return;
    }
    const run = (async () => {
      do {
        this.dirty.delete(id);
        let result: Result;
        try {
          result = await this.reconcile(key);
        } catch (err) {
          console.error(`${this.label}: reconcile ${id}: ${String(err)}`);
          result = { requeueMs: 500 };
        }
        if (result && !this.closed) this.later(key, result.requeueMs);
      } while (this.dirty.has(id) && !this.closed);
    })();
    this.running.set(id, run);
    void run.finally(() => this.running.delete(id));
  }

  private later(key: Key, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(key);
    }, ms);
    this.timers.add(timer);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.informers.map((i) => i.stop()));
    await Promise.all([...this.running.values()]);
  }
}

/** A Ready condition as the controllers write it. */
export function readyCondition(status: 'True' | 'False', reason: string, message = '', now = new Date()) {
  return { type: 'Ready', status, reason, message, lastTransitionTime: now.toISOString() };
}

/** Request options of a JSON merge patch. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** `.catch()` handlers: a 404 (already gone) or a 409 (already there) is no error; anything else is rethrown. */
export const ignoreNotFound = (err: unknown): void => {
  if (!isNotFound(err)) throw err;
};
export const ignoreConflict = (err: unknown): void => {
  if (!isConflict(err)) throw err;
};

/** What every test controller holds: the clients it reconciles with and one Reconciler calling reconcile(). */
export abstract class TestController {
  protected readonly core: CoreV1Api;
  protected readonly custom: CustomObjectsApi;
  protected readonly queue: Reconciler;

  constructor(kc: KubeConfig, label: string) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.queue = new Reconciler(kc, (key) => this.reconcile(key), label);
  }

  protected abstract reconcile(key: Key): Promise<Result>;

  async close(): Promise<void> {
    await this.queue.close();
  }
}
