/**
 * One informer on this gateway's SandboxClaims (label selector): tells the backend when a claim it
 * handed out an endpoint for stops being Ready, changes pod address or disappears out of band.
 */
import { makeInformer, type KubeConfig } from '@kubernetes/client-node';
import { resourcePath } from '../../kube/list-watch.js';
import type { ClaimApi } from './api.js';
import type { SandboxClaim } from './claim.js';

export type ClaimEvent = (claim: SandboxClaim, deleted: boolean) => void;

const RESTART_DELAY_MS = 1000;

export class ClaimInformer {
  private informer: ReturnType<typeof makeInformer<SandboxClaim>> | undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;

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
    informer.on('error', () => {
      // The client's informer stops on errors other than 410: restart it after a pause.
      if (this.stopped) return;
      clearTimeout(this.restartTimer);
      this.restartTimer = setTimeout(() => void informer.start().catch(() => undefined), RESTART_DELAY_MS);
      this.restartTimer.unref();
    });
    this.informer = informer;
    await informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer?.stop();
  }
}

/** resourceVersions of one object increase; compared numerically when they are numbers (etcd). */
export function newer(rv: string | undefined, than: string | undefined): boolean {
  if (!rv || !than) return true;
  if (/^\d+$/.test(rv) && /^\d+$/.test(than)) return BigInt(rv) > BigInt(than);
  return rv !== than;
}
