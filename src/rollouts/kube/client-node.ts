/**
 * RolloutsKube over @kubernetes/client-node 1.4: pods list and pods/log get (the RBAC it needs). Config
 * loading and error decoding are the gateway's shared Kubernetes helpers (src/kube).
 */
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../kube/config.js';
import { kubeMessage, kubeStatus } from '../../kube/errors.js';
import { RolloutError, retryableStatus } from '../errors.js';
import type { ContainerInfo, LogOptions, PodInfo, RolloutsKube } from './types.js';

function toPodInfo(pod: V1Pod): PodInfo {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const restarts = (name: string) => statuses.find((s) => s.name === name)?.restartCount ?? 0;
  const containers: ContainerInfo[] = [
    ...(pod.spec?.initContainers ?? []).map((c) => ({ name: c.name, init: true, restartCount: restarts(c.name) })),
    ...(pod.spec?.containers ?? []).map((c) => ({ name: c.name, init: false, restartCount: restarts(c.name) })),
  ];
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    labels: pod.metadata?.labels ?? {},
    phase: pod.status?.phase ?? 'Unknown',
    containers,
  };
}

function defaultKubeConfig(): KubeConfig {
  try {
    return loadKubeConfig();
  } catch (err) {
    throw new RolloutError('SG_ROLLOUT_KUBE_FAILED', `Kubernetes access: ${(err as Error).message}`, { cause: err, retryable: false });
  }
}

function kubeError(err: unknown, what: string): RolloutError {
  const status = kubeStatus(err);
  const retryable = status === undefined || retryableStatus(status);
  return new RolloutError('SG_ROLLOUT_KUBE_FAILED', `${what}: ${kubeMessage(err)}`, {
    cause: err,
    retryable,
    ...(status === undefined ? {} : { detail: { status } }),
  });
}

export class ClientNodeKube implements RolloutsKube {
  private readonly core: CoreV1Api;

  /** Without a KubeConfig: $KUBECONFIG, else the in-cluster service account, else ~/.kube/config. */
  constructor(kc?: KubeConfig) {
    this.core = (kc ?? defaultKubeConfig()).makeApiClient(CoreV1Api);
  }

  async listPods(namespace: string, labelSelector: string): Promise<PodInfo[]> {
    try {
      const list = await this.core.listNamespacedPod({ namespace, labelSelector });
      return list.items.map(toPodInfo);
    } catch (err) {
      throw kubeError(err, `list pods in ${namespace} (${labelSelector})`);
    }
  }

  async readLog(namespace: string, pod: string, container: string, options: LogOptions): Promise<string> {
    try {
      const text = await this.core.readNamespacedPodLog({
        name: pod,
        namespace,
        container,
        ...(options.tailLines ? { tailLines: options.tailLines } : {}),
        ...(options.sinceSeconds ? { sinceSeconds: options.sinceSeconds } : {}),
        ...(options.limitBytes ? { limitBytes: options.limitBytes } : {}),
        ...(options.previous ? { previous: true } : {}),
      });
      return typeof text === 'string' ? text : String(text ?? '');
    } catch (err) {
      // No previous instance (or a container that never started) is not a failure of the analysis.
      const status = kubeStatus(err);
      if ((status === 400 || status === 404) && options.previous) return '';
      throw kubeError(err, `read log of ${namespace}/${pod}/${container}`);
    }
  }
}
