/**
 * isola's Sandbox (sandbox.isola.run/v1alpha1) as a Kubernetes-object adapter: our own minimal shape
 * of the fields sandgate writes and reads, the object for a tenant, and its status read into
 * ready / terminal / pending.
 */
import type { KubernetesObject, V1Container } from '@kubernetes/client-node';
import { describeCondition, findCondition, type Condition } from '../kube-object/conditions.js';
import type { ObjectKind, ObjectState } from '../kube-object/types.js';

export const ISOLA_GROUP = 'sandbox.isola.run';
/** isola's limit on Sandbox names. */
export const ISOLA_MAX_NAME = 47;
/** Ready=False reasons after which waiting longer cannot help. */
export const ISOLA_TERMINAL_REASONS: ReadonlySet<string> = new Set(['PodFailed', 'PodSucceeded', 'PodCreationFailed', 'StartupTimeoutExceeded', 'InvalidRuntime']);
/** The sandgate image's own entrypoint (deploy/image/Dockerfile): isola needs the command spelled out. */
export const SANDBOX_COMMAND = ['/usr/bin/tini', '--', 'sandgate'];

export interface IsolaSandbox extends KubernetesObject {
  spec?: {
    podTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: V1Container[] } };
    network?: { allowInternetEgress: boolean; allowClusterDNS: boolean; allowedEgressCIDRs: string[] };
  };
  status?: { conditions?: Condition[]; podIP?: string; podName?: string };
}

export interface IsolaSandboxSettings {
  image: string;
  port: number;
  secret: string;
  egressCidrs: readonly string[];
}

export function isolaKind(s: IsolaSandboxSettings): ObjectKind<IsolaSandbox> {
  return {
    kind: 'Sandbox',
    group: ISOLA_GROUP,
    plural: 'sandboxes',
    versions: ['v1alpha1'],
    installHint: 'install the isola operator (sandbox.isola.run CRDs)',
    maxNameLength: ISOLA_MAX_NAME,
    body: (ctx) => ({
      apiVersion: ctx.apiVersion,
      kind: 'Sandbox',
      metadata: ctx.metadata,
      spec: {
        podTemplate: {
          metadata: { labels: ctx.podLabels, annotations: ctx.podAnnotations },
          spec: {
            containers: [
              {
                name: 'sandbox',
                image: s.image,
                command: SANDBOX_COMMAND,
                args: ['sandbox', '--port', String(s.port)],
                ports: [{ name: 'sandbox', containerPort: s.port }],
                env: [{ name: 'SANDGATE_SANDBOX_SECRET', value: s.secret }],
              },
            ],
          },
        },
        network: { allowInternetEgress: true, allowClusterDNS: true, allowedEgressCIDRs: [...s.egressCidrs] },
      },
    }),
    state: isolaState,
  };
}

export function isolaState(sb: IsolaSandbox): ObjectState {
  if (sb.metadata?.deletionTimestamp) return { kind: 'deleting' };
  const ready = findCondition(sb.status, 'Ready');
  if (ready?.status === 'True' && sb.status?.podIP) return { kind: 'ready', host: sb.status.podIP };
  if (ready?.status === 'False' && ISOLA_TERMINAL_REASONS.has(ready.reason ?? '')) return { kind: 'terminal', reason: ready.reason ?? '', message: ready.message ?? '' };
  return { kind: 'pending', reason: describeCondition(ready, 'Pending') };
}
