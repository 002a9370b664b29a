/**
 * isola backend: one sandbox.isola.run Sandbox per tenant in isola's shared namespace (name ≤ 47
 * characters), running the sandgate image's runtime under gVisor; the endpoint is status.podIP on the
 * sandbox port. Everything else (single-flight, create → 409 → adopt, waits on one watch, release, loss
 * informer, list of this gateway's objects only) is the Kubernetes-object engine's.
 */
import type { Capabilities } from '../types.js';
import { KubeObjectBackend } from '../kube-object/engine.js';
import type { KubeObjectOptions } from '../kube-object/types.js';
import { isolaKind, type IsolaSandbox } from './sandbox.js';

export interface IsolaOptions extends KubeObjectOptions {
  /** Image of the sandbox runtime (the sandgate image). */
  sandboxImage: string;
  /** spec.network.allowedEgressCIDRs of every Sandbox. */
  egressCidrs: readonly string[];
}

const CAPABILITIES: Capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: false, isolation: 'gvisor', suspendKeeps: [] };

export class IsolaBackend extends KubeObjectBackend<IsolaSandbox> {
  constructor(options: IsolaOptions) {
    const kind = isolaKind({ image: options.sandboxImage, port: options.sandboxPort, secret: options.sandboxSecret, egressCidrs: options.egressCidrs });
    super(kind, { name: 'isola', capabilities: CAPABILITIES }, options);
  }
}
