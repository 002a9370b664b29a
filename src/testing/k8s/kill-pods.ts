/** Deletes pods out of band, as a node failure or `kubectl delete pod` would (tests of loss detection). */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

export async function killPods(kc: KubeConfig, namespace: string, labelSelector: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector });
  await Promise.all(pods.items.map((p) => core.deleteNamespacedPod({ namespace, name: p.metadata?.name ?? '' })));
}
