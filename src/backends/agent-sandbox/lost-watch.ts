/**
 * One informer on this gateway's SandboxClaims (label selector): tells the backend when a claim it
 * handed out an endpoint for stops being Ready, changes pod address or disappears out of band.
 */
import { makeInformer, type KubeConfig } from '@kubernetes/client-node';
import { startInformer, type Running } from '../../kube/informer.js';
import { resourcePath } from '../../kube/list-watch.js';
import type { ClaimApi } from './api.js';
import type { SandboxClaim } from './claim.js';

export type ClaimEvent = (claim: SandboxClaim, deleted: boolean) => void;

export class ClaimInformer {
  private running: Running | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly api: ClaimApi,
    private readonly labelSelector: string,
    private readonly onEvent: ClaimEvent,
  ) {}

  async start(): Promise<void> {
    const path = resourcePath({ group: 'extensions.agents.x-k8s.io', version: this.api.version, plural: 'sandboxclaims', namespace: this.api.namespace });
    const informer = makeInformer<SandboxClaim>(this.kc, path, () => this.api.list({ labelSelector: this.labelSelector }), this.labelSelector);
    informer.on('update', (c) => this.onEvent(c, false));
    informer.on('delete', (c) => this.onEvent(c, true));
    this.running = await startInformer(informer, `sandboxclaims (${this.labelSelector}) in ${this.api.namespace}`);
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
