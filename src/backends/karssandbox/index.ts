/**
 * karssandbox backend: one KarsSandbox (kars.azure.com, runtime BYO = the sandgate image) per tenant.
 * KARS runs it in its own namespace kars-<name>; the endpoint is the sandbox pod's IP on the runtime
 * port (KARS's Service exposes only 8443). The InferencePolicy is checked before creating. Everything
 * else (single-flight, create → 409 → adopt, waits on one watch, release, loss informer, list of this
 * gateway's objects only) is the Kubernetes-object engine's.
 */
import type { Capabilities } from '../types.js';
import { KubeObjectBackend } from '../kube-object/engine.js';
import type { KubeObjectOptions } from '../kube-object/types.js';
import { karsKind, type KarsIsolation, type KarsSandbox } from './kars.js';

export interface KarsOptions extends KubeObjectOptions {
  /** Image of the sandbox runtime (the sandgate image), run as runtime.byo. */
  sandboxImage: string;
  /** InferencePolicy (same namespace) every KarsSandbox refers to. */
  inferenceRef: string;
  isolation: KarsIsolation;
}

const CAPABILITIES: Capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: false, isolation: 'pod', suspendKeeps: [] };

export class KarsSandboxBackend extends KubeObjectBackend<KarsSandbox> {
  constructor(options: KarsOptions) {
    const kind = karsKind({ image: options.sandboxImage, port: options.sandboxPort, secret: options.sandboxSecret, isolation: options.isolation, inferenceRef: options.inferenceRef });
    super(kind, { name: 'karssandbox', capabilities: CAPABILITIES }, options);
  }
}
