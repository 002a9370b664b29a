/**
 * identity=pod-label: the caller is the pod whose IP the connection comes from; its tenant is the value
 * of a label (default `playwright-id`). One informer per namespace keeps podIP → tenant current on
 * add / update / delete; a miss waits briefly for the informer's next events (bounded, no LIST loops).
 * An unknown or unlabelled caller is refused with 403 and the reason.
 */
import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { SandgateError } from '../errors/errors.js';
import { startInformer, type Running } from '../kube/informer.js';
import { PodIpIndex, type PodFacts } from './pod-label-index.js';
import { validateTenantId } from './tenant-id.js';
import type { IdentityProvider } from './types.js';

export interface PodLabelOptions {
  kubeConfig: KubeConfig;
  namespaces: readonly string[];
  labelKey: string;
  /** How long a request from an unknown IP waits for the informer to learn it (ms). */
  missWaitMs: number;
}

export function podFacts(pod: V1Pod, labelKey: string): PodFacts {
  const ips = new Set<string>();
  if (pod.status?.podIP) ips.add(pod.status.podIP);
  for (const p of pod.status?.podIPs ?? []) if (p.ip) ips.add(p.ip);
  const phase = pod.status?.phase;
  const tenant = pod.metadata?.labels?.[labelKey];
  const since = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  return {
    uid: pod.metadata?.uid ?? '',
    ips: [...ips],
    tenant: tenant ? tenant : undefined,
    gone: Boolean(pod.metadata?.deletionTimestamp) || phase === 'Succeeded' || phase === 'Failed',
    since: since ? new Date(since).getTime() : 0,
  };
}

export function normalizeIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export interface PodLabelIdentity extends IdentityProvider {
  readonly index: PodIpIndex;
}

export function podLabelIdentity(options: PodLabelOptions): PodLabelIdentity {
  const index = new PodIpIndex();
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const informers: Running[] = [];
  const where = options.namespaces.join(', ');

  return {
    name: 'pod-label',
    headers: [],
    index,
    async start() {
      await Promise.all(
        options.namespaces.map(async (namespace) => {
          const informer = makeInformer<V1Pod>(
            options.kubeConfig,
            `/api/v1/namespaces/${namespace}/pods`,
            () => core.listNamespacedPod({ namespace, labelSelector: options.labelKey }),
            options.labelKey,
          );
          informer.on('add', (pod) => index.upsert(podFacts(pod, options.labelKey)));
          informer.on('update', (pod) => index.upsert(podFacts(pod, options.labelKey)));
          // Also sent when the label is removed: the pod leaves the label selection.
          informer.on('delete', (pod) => index.remove(pod.metadata?.uid ?? ''));
          informers.push(await startInformer(informer, `pods labelled ${options.labelKey} in ${namespace}`));
        }),
      );
    },
    async close() {
      await Promise.all(informers.splice(0).map((i) => i.stop()));
    },
    async identify(req, url) {
      const ip = normalizeIp(req.socket.remoteAddress);
      const tenant = await index.waitFor(ip, options.missWaitMs);
      if (tenant === undefined) {
        throw new SandgateError('SG_IDENTITY_FORBIDDEN', `no running pod labelled ${options.labelKey} has the caller's address ${ip} (namespaces: ${where})`, {
          detail: { reason: 'no labelled pod with this IP', address: ip, labelKey: options.labelKey },
        });
      }
      return { tenant: validateTenantId(tenant), route: url.pathname, search: url.search };
    },
  };
}
