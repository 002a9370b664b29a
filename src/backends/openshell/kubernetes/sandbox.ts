/**
 * agents.x-k8s.io `Sandbox` driven directly, as OpenShell's Kubernetes driver does: one Sandbox per
 * tenant whose pod runs the sandgate sandbox runtime. v1beta1 (served by agent-sandbox ≥ v0.5) is
 * preferred; v1alpha1 is the fallback. Start/stop: v1beta1 `spec.operatingMode: Running|Suspended`,
 * v1alpha1 `spec.replicas: 1|0` (the controller deletes the pod and keeps the object). Our own
 * minimal shape of the fields sandgate reads and writes.
 */
import type { KubernetesObject, V1ObjectMeta, V1PodSpec } from '@kubernetes/client-node';
import { describeCondition, findCondition, type Condition } from '../../kube-object/conditions.js';
import type { BodyContext, ObjectKind, ObjectState } from '../../kube-object/types.js';
import { podsGone } from './pods.js';

export interface Sandbox extends KubernetesObject {
  metadata?: V1ObjectMeta;
  spec?: {
    podTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: V1PodSpec };
    operatingMode?: 'Running' | 'Suspended';
    replicas?: number;
  };
  status?: { conditions?: Condition[]; podIPs?: string[]; replicas?: number; selector?: string };
}

export interface SandboxPodOptions {
  /** Image of the sandbox runtime (config sandboxImage). */
  image: string;
  /** Port of the runtime in the pod (config sandboxPort). */
  port: number;
  /** Secret with the key SANDGATE_SANDBOX_SECRET the runtimes read (the chart's `sandgate-sandbox`). */
  secretName: string;
}

/** Ready=False reasons after which waiting longer cannot help. */
const TERMINAL_REASONS: ReadonlySet<string> = new Set(['SandboxExpired']);
/** The controller cannot create the pod because the API server rejects it (422 "… is invalid: …"). */
const POD_INVALID = /\bis invalid: /;

/** The sandbox pod: the runtime as in deploy/examples/agent-sandbox/sandbox-template.yaml, with the tenant's labels. */
export function podSpec(o: SandboxPodOptions): V1PodSpec {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'sandbox',
        image: o.image,
        args: ['sandbox', '--port', String(o.port)],
        ports: [{ containerPort: o.port, name: 'sandbox' }],
        env: [
          { name: 'SANDGATE_SANDBOX_SECRET', valueFrom: { secretKeyRef: { name: o.secretName, key: 'SANDGATE_SANDBOX_SECRET' } } },
          // The pod is the isolation boundary: Chromium's own sandbox needs user namespaces that the
          // default seccomp profile refuses. /dev/shm is 64 MiB in a pod.
          { name: 'SANDGATE_CHROMIUM_ARGS', value: '--no-sandbox --disable-dev-shm-usage' },
        ],
        readinessProbe: { httpGet: { path: '/health', port: o.port }, periodSeconds: 1 },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}

const isAlpha = (version: string) => version === 'v1alpha1';

export function sandboxBody(ctx: BodyContext, pod: SandboxPodOptions): Sandbox {
  return {
    apiVersion: ctx.apiVersion,
    kind: 'Sandbox',
    metadata: ctx.metadata,
    spec: {
      podTemplate: { metadata: { labels: { 'app.kubernetes.io/name': 'sandgate-sandbox', ...ctx.podLabels }, annotations: ctx.podAnnotations }, spec: podSpec(pod) },
      ...(isAlpha(ctx.version) ? { replicas: 1 } : { operatingMode: 'Running' as const }),
    },
  };
}

export function sandboxState(sb: Sandbox): ObjectState {
  if (sb.metadata?.deletionTimestamp) return { kind: 'deleting' };
  const ready = findCondition(sb.status, 'Ready');
  const podIP = sb.status?.podIPs?.[0];
  if (sb.spec?.operatingMode === 'Suspended' || sb.spec?.replicas === 0) {
    const settled = findCondition(sb.status, 'Suspended')?.status === 'True' || (sb.status?.replicas === 0 && !podIP);
    return { kind: 'suspended', settled };
  }
  if (ready?.status === 'True' && podIP) return { kind: 'ready', host: podIP };
  const finished = findCondition(sb.status, 'Finished');
  if (finished?.status === 'True') return { kind: 'terminal', reason: finished.reason ?? 'Finished', message: finished.message ?? 'the sandbox pod has finished' };
  if (ready?.status === 'False' && ready.reason && TERMINAL_REASONS.has(ready.reason)) return { kind: 'terminal', reason: ready.reason, message: ready.message ?? '' };
  if (ready?.status === 'False' && ready.reason === 'ReconcilerError' && POD_INVALID.test(ready.message ?? '')) return { kind: 'terminal', reason: 'PodInvalid', message: ready.message ?? '' };
  return { kind: 'pending', reason: describeCondition(ready, 'Pending') };
}

export function sandboxKind(pod: SandboxPodOptions): ObjectKind<Sandbox> {
  return {
    kind: 'Sandbox',
    group: 'agents.x-k8s.io',
    plural: 'sandboxes',
    versions: ['v1beta1', 'v1alpha1'],
    installHint: 'install agent-sandbox (its Sandbox CRD and controller)',
    body: (ctx) => sandboxBody(ctx, pod),
    state: sandboxState,
    suspendPatch: (version) => ({ spec: isAlpha(version) ? { replicas: 0 } : { operatingMode: 'Suspended' } }),
    awaitStopped: podsGone,
    resumePatch: (version) => ({ spec: isAlpha(version) ? { replicas: 1 } : { operatingMode: 'Running' } }),
  };
}
