/**
 * SandboxClaim (extensions.agents.x-k8s.io): our own minimal shape of the fields sandgate reads and
 * writes, the claim body for a tenant, and the evaluation of its status into ready / terminal / pending.
 */
import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import { SandgateError } from '../../errors/errors.js';

export const CLAIM_GROUP = 'extensions.agents.x-k8s.io';
export const CLAIM_PLURAL = 'sandboxclaims';
/** Preferred first: v1 when the installed agent-sandbox serves it, else v1beta1. */
export const CLAIM_VERSIONS = ['v1', 'v1beta1'] as const;

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

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

export interface ClaimLabels {
  /** Label marking this gateway's claims: `<managedByKey>=<gatewayId>`. */
  managedByKey: string;
  gatewayId: string;
  /** Domain-prefixed key (allowed by the controller) carrying the tenant on the claim and its pod. */
  tenantLabelKey: string;
  /** Annotation with the full tenant id (labels cannot hold arbitrary strings). */
  tenantAnnotation: string;
}

export function claimBody(args: ClaimLabels & { apiVersion: string; name: string; namespace: string; tenant: string; tenantValue: string; warmPool: string }): SandboxClaim {
  return {
    apiVersion: args.apiVersion,
    kind: 'SandboxClaim',
    metadata: {
      name: args.name,
      namespace: args.namespace,
      labels: { [args.managedByKey]: args.gatewayId, [args.tenantLabelKey]: args.tenantValue },
      annotations: { [args.tenantAnnotation]: args.tenant },
    },
    spec: {
      warmPoolRef: { name: args.warmPool },
      additionalPodMetadata: {
        labels: { [args.tenantLabelKey]: args.tenantValue },
        annotations: { [args.tenantAnnotation]: args.tenant },
      },
    },
  };
}

export type ClaimState =
  | { kind: 'ready'; podIP: string; sandbox: string }
  | { kind: 'terminal'; reason: string; message: string }
  | { kind: 'deleting' }
  | { kind: 'pending'; reason: string };

export function readyCondition(claim: SandboxClaim): Condition | undefined {
  return claim.status?.conditions?.find((c) => c.type === 'Ready');
}

export function claimState(claim: SandboxClaim): ClaimState {
  if (claim.metadata?.deletionTimestamp) return { kind: 'deleting' };
  const ready = readyCondition(claim);
  const podIP = claim.status?.sandbox?.podIPs?.[0];
  if (ready?.status === 'True' && podIP) return { kind: 'ready', podIP, sandbox: claim.status?.sandbox?.name ?? '' };
  const finished = claim.status?.conditions?.find((c) => c.type === 'Finished' && c.status === 'True');
  if (finished) return { kind: 'terminal', reason: finished.reason ?? 'Finished', message: finished.message ?? 'the sandbox pod has finished' };
  const reason = ready?.reason ?? 'Pending';
  if (ready?.status === 'False' && TERMINAL_REASONS.has(reason)) return { kind: 'terminal', reason, message: ready.message ?? '' };
  return { kind: 'pending', reason: ready?.message ? `${reason}: ${ready.message}` : reason };
}

export function terminalError(name: string, state: { reason: string; message: string }): SandgateError {
  return new SandgateError('SG_BACKEND_TERMINAL', `SandboxClaim ${name}: ${state.reason}${state.message ? ` (${state.message})` : ''}`, {
    detail: { reason: state.reason },
  });
}

/** Identifies one incarnation of a sandbox: the claim and the pod address it got. */
export function endpointId(claim: SandboxClaim, podIP: string): string {
  return `${claim.metadata?.uid ?? claim.metadata?.name ?? '?'}/${podIP}`;
}
