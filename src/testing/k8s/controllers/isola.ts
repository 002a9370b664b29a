/**
 * Test controller for isola's Sandbox (sandbox.isola.run/v1alpha1) on the real API server, playing the
 * documented operator behaviour for what sandgate relies on. Test-only.
 *
 * Simulated: one pod per Sandbox in the Sandbox's namespace, made from spec.podTemplate (owner
 * reference, so the garbage collector removes it with the Sandbox), the gVisor RuntimeClass injected
 * (`runtimeClass`, default gvisor; the API server's RuntimeClass admission rejects a class that does
 * not exist), a container without `command` runs `sleep infinity` as the operator does, restartPolicy
 * Never, and status: Ready=True + status.podIP once the pod is Ready; Ready=False with the terminal
 * reasons InvalidRuntime (the template asks for another runtime class, or the gVisor RuntimeClass is not
 * installed), PodCreationFailed (the API server refused the pod), PodFailed (pod Failed, or deleted out
 * of band), PodSucceeded, StartupTimeoutExceeded (not Ready within `startupTimeoutMs`).
 * Not simulated: gVisor itself (the test node agent runs the container as a local process and ignores
 * the command), spec.network (no NetworkPolicy is enforced on this plane), warm pools, snapshots.
 */
import { NodeV1Api, type KubeConfig, type KubernetesObject, type V1Container, type V1Pod } from '@kubernetes/client-node';
import { isConflict, isNotFound, kubeMessage } from '../../../kube/errors.js';
import { ignoreConflict, ignoreNotFound, mergePatch, readyCondition, TestController, type Key, type Result } from './reconciler.js';

export const ISOLA_GROUP = 'sandbox.isola.run';
export const ISOLA_VERSION = 'v1alpha1';
const SANDBOX_LABEL = 'sandbox.isola.run/sandbox';
export const TERMINAL_REASONS = ['PodFailed', 'PodSucceeded', 'PodCreationFailed', 'StartupTimeoutExceeded', 'InvalidRuntime'] as const;

export interface IsolaSandboxObject extends KubernetesObject {
  spec?: {
    podTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: { runtimeClassName?: string; containers?: V1Container[] } & Record<string, unknown> };
    network?: { allowInternetEgress?: boolean; allowClusterDNS?: boolean; allowedEgressCIDRs?: string[] };
  };
  status?: { podIP?: string; podName?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface IsolaControllerOptions {
  kubeConfig: KubeConfig;
  /** Namespaces whose Sandboxes this controller reconciles. */
  namespaces: string[];
  /** RuntimeClass injected into every pod (created by start() when it is `gvisor` and missing). */
  runtimeClass?: string;
  startupTimeoutMs?: number;
}

export class IsolaController extends TestController {
  private readonly runtimeClass: string;

  constructor(private readonly options: IsolaControllerOptions) {
    super(options.kubeConfig, 'isola test controller');
    this.runtimeClass = options.runtimeClass ?? 'gvisor';
  }

  private params(namespace: string) {
    return { group: ISOLA_GROUP, version: ISOLA_VERSION, namespace, plural: 'sandboxes' };
  }

  async start(): Promise<void> {
    if (this.runtimeClass === 'gvisor') {
      // Cluster-scoped and shared by every test on the plane: created when missing, never deleted.
      await this.options.kubeConfig
        .makeApiClient(NodeV1Api)
        .createRuntimeClass({ body: { metadata: { name: 'gvisor' }, handler: 'runsc' } })
        .catch(ignoreConflict);
    }
    for (const namespace of this.options.namespaces) {
      await this.queue.watch<IsolaSandboxObject>(`/apis/${ISOLA_GROUP}/${ISOLA_VERSION}/namespaces/${namespace}/sandboxes`, async () => (await this.custom.listNamespacedCustomObject(this.params(namespace))) as { items: IsolaSandboxObject[] }, (o) => [
        { namespace, name: o.metadata?.name ?? '' },
      ]);
      await this.queue.watch<V1Pod>(`/api/v1/namespaces/${namespace}/pods`, () => this.core.listNamespacedPod({ namespace, labelSelector: SANDBOX_LABEL }), (p) => [{ namespace, name: p.metadata?.labels?.[SANDBOX_LABEL] ?? '' }], SANDBOX_LABEL);
    }
  }

  protected async reconcile(key: Key): Promise<Result> {
    let sb: IsolaSandboxObject;
    try {
      sb = (await this.custom.getNamespacedCustomObject({ ...this.params(key.namespace), name: key.name })) as IsolaSandboxObject;
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (sb.metadata?.deletionTimestamp) return; // the garbage collector removes the pod
    const ready = sb.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'False' && (TERMINAL_REASONS as readonly string[]).includes(ready.reason ?? '')) return; // terminal: stays
    const invalid = await this.invalidRuntime(sb);
    if (invalid) return this.setReady(key, 'False', 'InvalidRuntime', invalid);
    let pod = await this.readPod(key);
    if (!pod) {
      if (ready?.status === 'True' || sb.status?.podName) return this.setReady(key, 'False', 'PodFailed', `pod ${key.name} was deleted`);
      try {
        pod = await this.core.createNamespacedPod({ namespace: key.namespace, body: this.podFor(sb) });
      } catch (err) {
        if (isConflict(err)) return { requeueMs: 200 };
        return this.setReady(key, 'False', 'PodCreationFailed', kubeMessage(err));
      }
      await this.patchStatus(key, { podName: key.name, conditions: [readyCondition('False', 'PodPending', 'pod created')] });
    }
    const phase = pod.status?.phase;
    if (phase === 'Failed') return this.setReady(key, 'False', 'PodFailed', pod.status?.message ?? pod.status?.reason ?? 'pod failed');
    if (phase === 'Succeeded') return this.setReady(key, 'False', 'PodSucceeded', 'the sandbox container exited');
    const podReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (podReady && pod.status?.podIP) {
      if (ready?.status !== 'True' || sb.status?.podIP !== pod.status.podIP) await this.patchStatus(key, { podName: key.name, podIP: pod.status.podIP, conditions: [readyCondition('True', 'PodReady')] });
      return;
    }
    const timeout = this.options.startupTimeoutMs ?? 120_000;
    const age = Date.now() - new Date(sb.metadata?.creationTimestamp ?? Date.now()).getTime();
    if (ready?.status !== 'True' && age >= timeout) return this.setReady(key, 'False', 'StartupTimeoutExceeded', `pod not Ready within ${timeout} ms`);
    if (ready?.status === 'True') await this.patchStatus(key, { podIP: '', conditions: [readyCondition('False', 'PodNotReady', 'pod is not Ready')] });
    return { requeueMs: Math.max(50, timeout - age) };
  }

  private async invalidRuntime(sb: IsolaSandboxObject): Promise<string | undefined> {
    const asked = sb.spec?.podTemplate?.spec?.runtimeClassName;
    if (asked && asked !== this.runtimeClass) return `runtimeClassName ${asked} is not allowed (sandboxes run with ${this.runtimeClass})`;
    try {
      await this.options.kubeConfig.makeApiClient(NodeV1Api).readRuntimeClass({ name: this.runtimeClass });
      return undefined;
    } catch (err) {
      if (isNotFound(err)) return `RuntimeClass ${this.runtimeClass} is not installed`;
      throw err;
    }
  }

  private async readPod(key: Key): Promise<V1Pod | undefined> {
    try {
      const pod = await this.core.readNamespacedPod({ namespace: key.namespace, name: key.name });
      return pod.metadata?.deletionTimestamp ? undefined : pod;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private podFor(sb: IsolaSandboxObject): V1Pod {
    const name = sb.metadata?.name ?? '';
    const template = sb.spec?.podTemplate ?? {};
    const containers = (template.spec?.containers ?? []).map((c) => (c.command?.length ? c : { ...c, command: ['sleep', 'infinity'] }));
    return {
      metadata: {
        name,
        labels: { ...template.metadata?.labels, [SANDBOX_LABEL]: name },
        annotations: { ...template.metadata?.annotations },
        ownerReferences: [{ apiVersion: `${ISOLA_GROUP}/${ISOLA_VERSION}`, kind: 'Sandbox', name, uid: sb.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: { ...(template.spec as V1Pod['spec']), containers, runtimeClassName: this.runtimeClass, restartPolicy: 'Never' },
    };
  }

  private async setReady(key: Key, status: 'True' | 'False', reason: string, message: string): Promise<Result> {
    await this.patchStatus(key, { ...(status === 'False' ? { podIP: '' } : {}), conditions: [readyCondition(status, reason, message)] });
  }

  private async patchStatus(key: Key, status: object): Promise<void> {
    await this.custom.patchNamespacedCustomObjectStatus({ ...this.params(key.namespace), name: key.name, body: { status } }, mergePatch).catch(ignoreNotFound);
  }
}
