/**
 * Test controller for KarsSandbox (kars.azure.com/v1alpha1) on the real API server, playing the
 * documented behaviour of the KARS controller for what sandgate relies on. Test-only.
 *
 * Simulated: the InferencePolicy check (missing → phase Degraded, Ready=False InferencePolicyNotFound;
 * re-checked when a policy appears), phases Pending → Creating → Running (Ready=True once the sandbox
 * pod is Ready), a namespace `kars-<name>` per sandbox, the sandbox pod in it (label
 * kars.azure.com/component=sandbox, the BYO image/command/args/env, UID 1000 and the sandbox{} security
 * settings, an emptyDir per writable path), a Service exposing only 8443, `suspended: true` → pod
 * removed and namespace kept, a pod that fails → phase Failed, a pod deleted out of band → re-created,
 * and deletion through a finalizer (phase Terminating, pod and namespace removed).
 * Differences: KARS runs the pod from a Deployment; this test plane runs no Deployment controller
 * (kube-controller-manager runs only the garbage collector and namespace controllers), so the pod is
 * created directly. Not simulated: the inference/egress proxy on 127.0.0.1:8443 (status
 * inferenceEndpoint is set, nothing listens), isolation levels beyond recording them, token budgets.
 * The namespaces carry `namespaceLabels` so the test node agent (namespaceSelector) runs their pods.
 */
import { type KubeConfig, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { isConflict, isNotFound, kubeStatus } from '../../../kube/errors.js';
import { listWatch } from '../../../kube/list-watch.js';
import { waitFor } from '../../../kube/wait-for.js';
import { ignoreConflict, ignoreNotFound, mergePatch, readyCondition, TestController, type Key, type Result } from './reconciler.js';

export const KARS_GROUP = 'kars.azure.com';
export const KARS_VERSION = 'v1alpha1';
export const COMPONENT_LABEL = 'kars.azure.com/component';
const SANDBOX_LABEL = 'kars.azure.com/sandbox';
const OWNER_NS_LABEL = 'kars.azure.com/sandbox-namespace';
const FINALIZER = 'kars.azure.com/cleanup';
export const KARS_UID = 1000;

interface Byo {
  image: string;
  contractVersion: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
}

export interface KarsSandboxObject extends KubernetesObject {
  spec?: {
    runtime?: { kind?: string; byo?: Byo };
    sandbox?: { isolation?: string; runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; writablePaths?: string[] };
    inferenceRef?: { name?: string };
    suspended?: boolean;
  };
  status?: { phase?: string; namespace?: string; sandboxPod?: string; inferenceEndpoint?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface KarsControllerOptions {
  kubeConfig: KubeConfig;
  /** Namespaces whose KarsSandboxes this controller reconciles. */
  namespaces: string[];
  /** Extra labels on every kars-<name> namespace (e.g. the node agent's namespaceSelector). */
  namespaceLabels?: Record<string, string>;
}

export class KarsController extends TestController {
  constructor(private readonly options: KarsControllerOptions) {
    super(options.kubeConfig, 'kars test controller');
  }

  private params(namespace: string, plural = 'karssandboxes') {
    return { group: KARS_GROUP, version: KARS_VERSION, namespace, plural };
  }

  async start(): Promise<void> {
    for (const namespace of this.options.namespaces) {
      const sandboxes = this.params(namespace);
      await this.queue.watch<KarsSandboxObject>(`/apis/${KARS_GROUP}/${KARS_VERSION}/namespaces/${namespace}/karssandboxes`, async () => (await this.custom.listNamespacedCustomObject(sandboxes)) as { items: KarsSandboxObject[] }, (o) => [
        { namespace, name: o.metadata?.name ?? '' },
      ]);
      // A policy that appears (or goes) re-checks every sandbox of the namespace.
      await this.queue.watch<KubernetesObject>(`/apis/${KARS_GROUP}/${KARS_VERSION}/namespaces/${namespace}/inferencepolicies`, async () => (await this.custom.listNamespacedCustomObject(this.params(namespace, 'inferencepolicies'))) as { items: KubernetesObject[] }, () => []);
    }
    // Sandbox pods of every kars-<name> namespace, mapped back to their KarsSandbox.
    const watched = new Set(this.options.namespaces);
    const selector = `${COMPONENT_LABEL}=sandbox`;
    await this.queue.watch<V1Pod>('/api/v1/pods', () => this.core.listPodForAllNamespaces({ labelSelector: selector }), (pod) => {
      const namespace = pod.metadata?.labels?.[OWNER_NS_LABEL];
      const name = pod.metadata?.labels?.[SANDBOX_LABEL];
      return namespace && name && watched.has(namespace) ? [{ namespace, name }] : [];
    }, selector);
  }

  private async get(key: Key): Promise<KarsSandboxObject | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({ ...this.params(key.namespace), name: key.name })) as KarsSandboxObject;
    } catch (err) {
      ignoreNotFound(err);
      return undefined;
    }
  }

  private async setStatus(key: Key, sb: KarsSandboxObject, status: NonNullable<KarsSandboxObject['status']>): Promise<void> {
    const cur = sb.status ?? {};
    const ready = (c?: { type: string; status: string; reason?: string }[]) => c?.find((x) => x.type === 'Ready');
    const same = cur.phase === status.phase && cur.namespace === status.namespace && cur.sandboxPod === status.sandboxPod && ready(cur.conditions)?.status === ready(status.conditions)?.status && ready(cur.conditions)?.reason === ready(status.conditions)?.reason;
    if (same) return;
    await this.custom.patchNamespacedCustomObjectStatus({ ...this.params(key.namespace), name: key.name, body: { status } }, mergePatch).catch(ignoreNotFound);
  }

  protected async reconcile(key: Key): Promise<Result> {
    const sb = await this.get(key);
    if (!sb) return;
    const target = `kars-${key.name}`;
    if (sb.metadata?.deletionTimestamp) return this.finalize(key, sb, target);
    if (!sb.metadata?.finalizers?.includes(FINALIZER)) {
      await this.custom.patchNamespacedCustomObject({ ...this.params(key.namespace), name: key.name, body: { metadata: { finalizers: [...(sb.metadata?.finalizers ?? []), FINALIZER] } } }, mergePatch);
      return;
    }
    const policy = sb.spec?.inferenceRef?.name ?? '';
    if (!(await this.policyExists(key.namespace, policy))) {
      await this.setStatus(key, sb, { phase: 'Degraded', conditions: [readyCondition('False', 'InferencePolicyNotFound', `InferencePolicy ${policy} not found in ${key.namespace}`)] });
      return;
    }
    if (!sb.status?.phase || sb.status.phase === 'Degraded') {
      await this.setStatus(key, sb, { phase: 'Pending', conditions: [readyCondition('False', 'Pending')] });
      return;
    }
    if (sb.status.phase === 'Failed') return; // terminal: only deletion moves it on
    try {
      await this.ensureNamespace(key, target);
      await this.ensureService(target);
    } catch (err) {
      // 403: kars-<name> of an earlier sandbox of this name is still terminating: try again shortly.
      if (kubeStatus(err) === 403) return { requeueMs: 500 };
      throw err;
    }
    const pods = (await this.core.listNamespacedPod({ namespace: target, labelSelector: `${COMPONENT_LABEL}=sandbox` })).items.filter((p) => !p.metadata?.deletionTimestamp);
    if (sb.spec?.suspended) {
      await Promise.all(pods.map((p) => this.core.deleteNamespacedPod({ namespace: target, name: p.metadata?.name ?? '' }).catch(ignoreNotFound)));
      await this.setStatus(key, sb, { phase: 'Pending', namespace: target, conditions: [readyCondition('False', 'Suspended', 'spec.suspended is true')] });
      return;
    }
    const pod = pods[0] ?? (await this.createPod(key, sb, target));
    const podName = pod.metadata?.name ?? '';
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
      const why = `sandbox pod ${podName} ${pod.status.phase}${pod.status.reason ? `: ${pod.status.reason}` : ''}`;
      await this.setStatus(key, sb, { phase: 'Failed', namespace: target, sandboxPod: podName, conditions: [readyCondition('False', 'PodFailed', why)] });
      return;
    }
    const podReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && pod.status.podIP;
    await this.setStatus(key, sb, {
      phase: podReady ? 'Running' : 'Creating',
      namespace: target,
      sandboxPod: podName,
      inferenceEndpoint: 'http://127.0.0.1:8443',
      conditions: [podReady ? readyCondition('True', 'Running') : readyCondition('False', 'PodNotReady', `waiting for pod ${podName}`)],
    });
  }

  private async policyExists(namespace: string, name: string): Promise<boolean> {
    try {
      await this.custom.getNamespacedCustomObject({ ...this.params(namespace, 'inferencepolicies'), name });
      return true;
    } catch (err) {
      ignoreNotFound(err);
      return false;
    }
  }

  private async ensureNamespace(key: Key, target: string): Promise<void> {
    const labels = { ...this.options.namespaceLabels, [SANDBOX_LABEL]: key.name, [OWNER_NS_LABEL]: key.namespace };
    await this.core.createNamespace({ body: { metadata: { name: target, labels } } }).catch(ignoreConflict);
  }

  private async ensureService(namespace: string): Promise<void> {
    const body = { metadata: { name: 'sandbox' }, spec: { selector: { [COMPONENT_LABEL]: 'sandbox' }, ports: [{ name: 'inference', port: 8443, targetPort: 8443 }] } };
    await this.core.createNamespacedService({ namespace, body }).catch(ignoreConflict);
  }

  private async createPod(key: Key, sb: KarsSandboxObject, namespace: string): Promise<V1Pod> {
    const byo = sb.spec?.runtime?.byo;
    const box = sb.spec?.sandbox ?? {};
    const writable = box.writablePaths ?? [];
    const body: V1Pod = {
      metadata: { generateName: 'sandbox-', labels: { [COMPONENT_LABEL]: 'sandbox', [SANDBOX_LABEL]: key.name, [OWNER_NS_LABEL]: key.namespace } },
      spec: {
        restartPolicy: 'Always',
        containers: [
          {
            name: 'sandbox',
            image: byo?.image ?? '',
            ...(byo?.command ? { command: byo.command } : {}),
            ...(byo?.args ? { args: byo.args } : {}),
            env: [...(byo?.env ?? []).map((e) => ({ name: e.name, value: e.value ?? '' })), { name: 'KARS_INFERENCE_ENDPOINT', value: 'http://127.0.0.1:8443' }],
            securityContext: {
              runAsUser: KARS_UID,
              runAsNonRoot: box.runAsNonRoot ?? true,
              allowPrivilegeEscalation: box.allowPrivilegeEscalation ?? false,
              readOnlyRootFilesystem: box.readOnlyRootFilesystem ?? true,
            },
            volumeMounts: writable.map((path, i) => ({ name: `writable-${i}`, mountPath: path })),
          },
        ],
        volumes: writable.map((_, i) => ({ name: `writable-${i}`, emptyDir: {} })),
      },
    };
    return this.core.createNamespacedPod({ namespace, body });
  }

  /** Deletion: phase Terminating, the pod stopped and gone, the namespace deleted, then the finalizer removed. */
  private async finalize(key: Key, sb: KarsSandboxObject, target: string): Promise<Result> {
    if (!sb.metadata?.finalizers?.includes(FINALIZER)) return;
    await this.setStatus(key, sb, { ...sb.status, phase: 'Terminating', conditions: [readyCondition('False', 'Terminating')] });
    await this.core.deleteCollectionNamespacedPod({ namespace: target, labelSelector: `${COMPONENT_LABEL}=sandbox` }).catch(ignoreNotFound);
    const pods = listWatch<V1Pod>(this.options.kubeConfig, `/api/v1/namespaces/${target}/pods`, {}, () => this.core.listNamespacedPod({ namespace: target }));
    await waitFor(pods, (items) => (items.length === 0 ? true : undefined), { deadline: Date.now() + 30_000, what: `pods of ${target} to be gone` });
    await this.core.deleteNamespace({ name: target }).catch(ignoreNotFound);
    const finalizers = (sb.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    // JSON merge patch replaces the list; the resourceVersion guards against a concurrent change.
    await this.custom
      .patchNamespacedCustomObject({ ...this.params(key.namespace), name: key.name, body: { metadata: { finalizers, resourceVersion: sb.metadata.resourceVersion } } }, mergePatch)
      .catch((err: unknown) => {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      });
    return;
  }
}
