/**
 * Waits until a suspended Sandbox's pod is really gone: agent-sandbox v0.5 sets Suspended=True
 * (PodTerminated) as soon as it has asked to delete the pod, while the pod may still be terminating.
 * The Sandbox's status.selector (the controller's own pod label) finds its pods; one watch, no polls.
 */
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { listWatch } from '../../../kube/list-watch.js';
import { waitFor } from '../../../kube/wait-for.js';
import type { ResolveContext } from '../../kube-object/types.js';
import type { Sandbox } from './sandbox.js';

export async function podsGone(sb: Sandbox, ctx: ResolveContext): Promise<void> {
  const labelSelector = sb.status?.selector;
  if (!labelSelector) return; // the controller never made a pod for it
  const core = ctx.kubeConfig.makeApiClient(CoreV1Api);
  const namespace = sb.metadata?.namespace ?? ctx.namespace;
  const pods = listWatch<V1Pod>(ctx.kubeConfig, `/api/v1/namespaces/${namespace}/pods`, { labelSelector }, () => core.listNamespacedPod({ namespace, labelSelector }));
  await waitFor(pods, (items) => (items.length === 0 ? true : undefined), { deadline: ctx.deadline, signal: ctx.signal, what: `pods (${labelSelector}) of Sandbox ${sb.metadata?.name ?? ''} to be gone` });
}
