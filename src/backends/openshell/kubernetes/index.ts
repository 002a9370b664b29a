/**
 * openshell backend, mode kubernetes: one agents.x-k8s.io Sandbox per tenant, created and started /
 * stopped directly the way OpenShell's Kubernetes driver does (no OpenShell gateway in the path). The
 * endpoint is the pod IP + sandbox port under the runtime's secret path; the rest is the
 * Kubernetes-object engine. suspend() stops the pod and keeps the object: nothing of the live browser
 * survives (capabilities.suspend false, suspendKeeps []); the next ensure() starts a fresh pod.
 */
import type { Capabilities } from '../../types.js';
import { KubeObjectBackend } from '../../kube-object/engine.js';
import type { KubeObjectOptions } from '../../kube-object/types.js';
import { sandboxKind, type Sandbox } from './sandbox.js';

/** The Secret (key SANDGATE_SANDBOX_SECRET) the sandbox pods read: the one the chart creates for release `sandgate`. */
export const DEFAULT_SECRET_NAME = 'sandgate-sandbox';

export interface OpenShellKubernetesOptions extends KubeObjectOptions {
  /** Image of the sandbox runtime. */
  image: string;
  /** Secret the pods read their path secret from (default sandgate-sandbox). */
  secretName?: string;
}

const CAPABILITIES: Capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: false, isolation: 'pod', suspendKeeps: [] };

export class OpenShellKubernetesBackend extends KubeObjectBackend<Sandbox> {
  constructor(options: OpenShellKubernetesOptions) {
    const pod = { image: options.image, port: options.sandboxPort, secretName: options.secretName ?? DEFAULT_SECRET_NAME };
    super(sandboxKind(pod), { name: 'openshell', capabilities: CAPABILITIES }, options);
  }
}
