/**
 * One informer on this gateway's objects of one kind (label selector): tells the engine when an
 * object it handed out an endpoint for stops being ready, changes address or disappears out of band.
 */
import { makeInformer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { startInformer, type Running } from '../../kube/informer.js';
import type { ObjectApi } from './api.js';

export type ObjectEvent<T> = (obj: T, deleted: boolean) => void;

export class ObjectInformer<T extends KubernetesObject> {
  private running: Running | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly api: ObjectApi<T>,
    private readonly labelSelector: string,
    private readonly onEvent: ObjectEvent<T>,
  ) {}

  async start(): Promise<void> {
    const informer = makeInformer<T>(this.kc, this.api.path, () => this.api.list({ labelSelector: this.labelSelector }), this.labelSelector);
    informer.on('update', (o) => this.onEvent(o, false));
    informer.on('delete', (o) => this.onEvent(o, true));
    this.running = await startInformer(informer, `${this.api.kind.plural} (${this.labelSelector}) in ${this.api.namespace}`);
  }

  async stop(): Promise<void> {
    await this.running?.stop();
  }
}

/** resourceVersions of one object increase; compared numerically when they are numbers (etcd). */
export function newer(rv: string | undefined, than: string | undefined): boolean {
  if (!rv || !than) return true;
  if (/^\d+$/.test(rv) && /^\d+$/.test(than)) return BigInt(rv) > BigInt(than);
  return rv !== than;
}
