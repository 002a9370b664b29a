/**
 * KarsSandbox (kars.azure.com/v1alpha1) as a Kubernetes-object adapter: our own minimal shape of the
 * fields sandgate writes and reads, the BYO object for a tenant, its status read into ready / terminal
 * / pending, the InferencePolicy check before creating, and the sandbox pod's address: KARS's Service
 * exposes only 8443, so the endpoint is the pod labelled kars.azure.com/component=sandbox in
 * status.namespace, on the runtime's own port.
 */
import { CoreV1Api, CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../../errors/errors.js';
import { isNotFound, kubeMessage } from '../../kube/errors.js';
import { describeCondition, findCondition, type Condition } from '../kube-object/conditions.js';
import type { ObjectKind, ObjectState, ResolveContext } from '../kube-object/types.js';

export const KARS_GROUP = 'kars.azure.com';
export const KARS_VERSION = 'v1alpha1';
export const SANDBOX_POD_SELECTOR = 'kars.azure.com/component=sandbox';
/** The sandgate image's own entrypoint (deploy/image/Dockerfile), spelled out for runtime.byo.command. */
export const SANDBOX_COMMAND = ['/usr/bin/tini', '--', 'sandgate'];
/** KARS mounts the root file system read-only; the runtime and Chromium write only below /tmp (HOME). */
export const WRITABLE_PATHS = ['/tmp'];

export type KarsIsolation = 'standard' | 'enhanced' | 'confidential';

export interface KarsSandbox extends KubernetesObject {
  spec?: {
    runtime: { kind: 'BYO'; byo: { image: string; contractVersion: 'v1'; command: string[]; args: string[]; env: { name: string; value: string }[] } };
    sandbox: { isolation: KarsIsolation; runAsNonRoot: boolean; allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; writablePaths: string[] };
    inferenceRef: { name: string };
    suspended?: boolean;
  };
  status?: { phase?: string; namespace?: string; sandboxPod?: string; inferenceEndpoint?: string; conditions?: Condition[] };
}

export interface KarsSettings {
  image: string;
  port: number;
  secret: string;
  isolation: KarsIsolation;
  inferenceRef: string;
}

export function karsKind(s: KarsSettings): ObjectKind<KarsSandbox> {
  return {
    kind: 'KarsSandbox',
    group: KARS_GROUP,
    plural: 'karssandboxes',
    versions: [KARS_VERSION],
    installHint: 'install KARS (kars.azure.com CRDs and controller)',
    // KARS runs each sandbox in namespace kars-<name>, itself at most 63 characters.
    maxNameLength: 58,
    body: (ctx) => ({
      apiVersion: ctx.apiVersion,
      kind: 'KarsSandbox',
      metadata: ctx.metadata,
      spec: {
        runtime: {
          kind: 'BYO',
          byo: {
            image: s.image,
            contractVersion: 'v1',
            command: SANDBOX_COMMAND,
            args: ['sandbox', '--port', String(s.port)],
            env: [
              { name: 'SANDGATE_SANDBOX_SECRET', value: s.secret },
              { name: 'HOME', value: '/tmp' },
            ],
          },
        },
        sandbox: { isolation: s.isolation, runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, writablePaths: WRITABLE_PATHS },
        inferenceRef: { name: s.inferenceRef },
      },
    }),
    state: karsState,
    resolve: sandboxPod,
    precheck: (ctx) => inferencePolicyExists(ctx, s.inferenceRef),
  };
}

/** Phases after which waiting longer cannot help. */
const TERMINAL_PHASES = new Set(['Failed', 'Degraded']);

export function karsState(sb: KarsSandbox): ObjectState {
  const phase = sb.status?.phase ?? 'Pending';
  if (sb.metadata?.deletionTimestamp || phase === 'Terminating') return { kind: 'deleting' };
  const ready = findCondition(sb.status, 'Ready');
  if (TERMINAL_PHASES.has(phase)) return { kind: 'terminal', reason: ready?.status === 'False' && ready.reason ? ready.reason : phase, message: ready?.message ?? `phase ${phase}` };
  // Scaled to zero and kept; this gateway does not resume KarsSandboxes it did not suspend.
  if (sb.spec?.suspended) return { kind: 'suspended', settled: phase !== 'Running' };
  if (phase === 'Running' && ready?.status === 'True' && sb.status?.namespace) return { kind: 'ready', ...(sb.status.sandboxPod ? { incarnation: sb.status.sandboxPod } : {}) };
  return { kind: 'pending', reason: `${phase}: ${describeCondition(ready, 'not Ready')}` };
}

/** The Ready sandbox pod (status.sandboxPod when KARS names it) in status.namespace; undefined while there is none. */
async function sandboxPod(sb: KarsSandbox, ctx: ResolveContext): Promise<{ host: string; incarnation: string } | undefined> {
  const namespace = sb.status?.namespace ?? '';
  let pods;
  try {
    pods = (await ctx.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: SANDBOX_POD_SELECTOR })).items;
  } catch (err) {
    throw new SandgateError('SG_BACKEND_UNAVAILABLE', `listing the sandbox pods of KarsSandbox ${sb.metadata?.name} in ${namespace} failed: ${kubeMessage(err)}`, { cause: err });
  }
  const wanted = sb.status?.sandboxPod;
  const pod = pods.find(
    (p) => !p.metadata?.deletionTimestamp && (!wanted || p.metadata?.name === wanted) && p.status?.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  return pod?.status?.podIP ? { host: pod.status.podIP, incarnation: pod.metadata?.name ?? pod.status.podIP } : undefined;
}

/** KARS refuses (Degraded/InferencePolicyNotFound) a sandbox whose InferencePolicy is missing: say so before creating one. */
async function inferencePolicyExists(ctx: ResolveContext, name: string): Promise<void> {
  try {
    await ctx.kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: KARS_GROUP, version: KARS_VERSION, namespace: ctx.namespace, plural: 'inferencepolicies', name });
  } catch (err) {
    if (isNotFound(err)) {
      throw new SandgateError('SG_BACKEND_TERMINAL', `InferencePolicy ${name} does not exist in namespace ${ctx.namespace}: create it (deploy/examples/karssandbox/inference-policy.yaml) or set karsInferenceRef`, {
        detail: { reason: 'InferencePolicyNotFound' },
      });
    }
    throw new SandgateError('SG_BACKEND_UNAVAILABLE', `reading InferencePolicy ${name} failed: ${kubeMessage(err)}`, { cause: err });
  }
}
