/**
 * SandboxClaim (extensions.agents.x-k8s.io) as a kind for the Kubernetes-object engine: our own
 * minimal shape of the fields sandgate reads and writes, the claim body for a tenant, and the
 * evaluation of its status into ready / terminal / pending.
 */
import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import { describeCondition, findCondition, type Condition } from '../kube-object/conditions.js';
import type { ObjectKind, ObjectState } from '../kube-object/types.js';

export interface SandboxClaim extends KubernetesObject {
  metadata?: V1ObjectMeta;
  spec?: {
    warmPoolRef?: { name: string };
    additionalPodMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  };
  status?: {
    conditions?: Condition[];
    sandbox?: { name?: string; podIPs?: string[] };
  };
}

/** Ready=False reasons after which waiting longer cannot help (agent-sandbox controller, v0.5/v1.0). */
export const TERMINAL_REASONS: ReadonlySet<string> = new Set([
  'InvalidMetadata',
  'EnvVarsInjectionRejected',
  'VolumeClaimTemplatesError',
  'ClaimExpired',
  'SandboxExpired',
  'WarmPoolNotFound',
  'TemplateNotFound',
]);

export function claimState(claim: SandboxClaim): ObjectState {
  if (claim.metadata?.deletionTimestamp) return { kind: 'deleting' };
  const ready = findCondition(claim.status, 'Ready');
  const podIP = claim.status?.sandbox?.podIPs?.[0];
  if (ready?.status === 'True' && podIP) return { kind: 'ready', host: podIP };
  const finished = claim.status?.conditions?.find((c) => c.type === 'Finished' && c.status === 'True');
  if (finished) return { kind: 'terminal', reason: finished.reason ?? 'Finished', message: finished.message ?? 'the sandbox pod has finished' };
  const reason = ready?.reason ?? 'Pending';
  if (ready?.status === 'False' && TERMINAL_REASONS.has(reason)) return { kind: 'terminal', reason, message: ready.message ?? '' };
  return { kind: 'pending', reason: describeCondition(ready, 'Pending') };
}

/**
 * One claim per tenant on `warmPool`: the tenant label and annotation go on the claim and, through
 * additionalPodMetadata, on the (possibly already running) pool pod — that keeps warm starts warm.
 */
export function claimKind(warmPool: string): ObjectKind<SandboxClaim> {
  return {
    kind: 'SandboxClaim',
    group: 'extensions.agents.x-k8s.io',
    plural: 'sandboxclaims',
    versions: ['v1', 'v1beta1'],
    installHint: 'install agent-sandbox with its extensions',
    body: ({ apiVersion, metadata, podLabels, podAnnotations }) => ({
      apiVersion,
      kind: 'SandboxClaim',
      metadata,
      spec: { warmPoolRef: { name: warmPool }, additionalPodMetadata: { labels: podLabels, annotations: podAnnotations } },
    }),
    state: claimState,
  };
}
