/**
 * agent-sandbox backend: one SandboxClaim (extensions.agents.x-k8s.io) per tenant. The claim binds
 * a ready Sandbox from the warm pool (or a cold one), and the endpoint is the pod IP + sandbox port
 * under the runtime's secret path. Everything else (single-flight, create → 409 → adopt, waits on
 * one watch, release, loss informer) is the Kubernetes-object engine's.
 */
import type { Capabilities } from '../types.js';
import { KubeObjectBackend } from '../kube-object/engine.js';
import type { KubeObjectOptions } from '../kube-object/types.js';
import { claimKind, type SandboxClaim } from './claim.js';

export { MANAGED_BY_LABEL, TENANT_ANNOTATION } from '../kube-object/engine.js';

export interface AgentSandboxOptions extends KubeObjectOptions {
  /** SandboxWarmPool every claim refers to (its template defines the sandbox pod). */
  warmPool: string;
  /** Domain-prefixed label key (allowed by the controller) carrying the tenant on claim and pod. */
  tenantLabelKey: string;
}

const CAPABILITIES: Capabilities = { suspend: false, livePause: false, persistentState: false, warmPool: true, isolation: 'pod', suspendKeeps: [] };

export class AgentSandboxBackend extends KubeObjectBackend<SandboxClaim> {
  constructor(options: AgentSandboxOptions) {
    super(claimKind(options.warmPool), { name: 'agent-sandbox', capabilities: CAPABILITIES }, options);
  }

  claimName(tenant: string): string {
    return this.objectName(tenant);
  }
}
