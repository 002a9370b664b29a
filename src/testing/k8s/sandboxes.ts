/**
 * Applies deploy/examples/agent-sandbox/sandbox-template.yaml (SandboxTemplate + SandboxWarmPool) into a
 * test namespace with the test's pool size, after the Secret the chart would create (the runtimes' path
 * secret), and waits for the pool to be ready.
 */
import { randomBytes } from 'node:crypto';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { listWatch, resourcePath } from '../../kube/list-watch.js';
import { waitFor } from '../../kube/wait-for.js';
import type { TestCluster } from './cluster.js';

export const POOL = 'sandgate';
export const SANDBOX_PORT = 9222;
export const SANDBOX_TEMPLATE = 'deploy/examples/agent-sandbox/sandbox-template.yaml';
/** The Secret the template's pods read: the chart's `<fullname>-sandbox` for release `sandgate`. */
export const SECRET_NAME = 'sandgate-sandbox';
const EXT = { group: 'extensions.agents.x-k8s.io', version: 'v1beta1' };

interface WarmPool extends KubernetesObject {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; replicas?: number };
}

export interface TestSandboxes {
  secret: string;
  setReplicas(n: number): Promise<void>;
  /** Resolves once the pool reports `n` ready replicas. */
  poolReady(n: number, timeoutMs?: number): Promise<void>;
}

export async function applySandboxes(cluster: TestCluster, namespace: string, replicas: number): Promise<TestSandboxes> {
  const secret = randomBytes(24).toString('base64url');
  await cluster.core.createNamespacedSecret({ namespace, body: { metadata: { name: SECRET_NAME }, stringData: { SANDGATE_SANDBOX_SECRET: secret } } });
  await cluster.applyFile(SANDBOX_TEMPLATE, namespace, (doc) => {
    if (doc.kind === 'SandboxWarmPool') return { ...doc, spec: { ...(doc as WarmPool).spec, replicas } } as KubernetesObject;
    return doc;
  });
  const custom = cluster.kc.makeApiClient(CustomObjectsApi);
  const params = { ...EXT, namespace, plural: 'sandboxwarmpools' };
  const pools = listWatch<WarmPool>(cluster.kc, resourcePath(params), { fieldSelector: `metadata.name=${POOL}` }, async () =>
    (await custom.listNamespacedCustomObject({ ...params, fieldSelector: `metadata.name=${POOL}` })) as { items: WarmPool[] },
  );
  const poolReady = async (n: number, timeoutMs = 60_000) => {
    await waitFor(pools, (items) => ((items[0]?.status?.readyReplicas ?? 0) === n && (items[0]?.spec?.replicas ?? -1) === n ? true : undefined), {
      deadline: Date.now() + timeoutMs,
      what: `warm pool ${POOL} to have ${n} ready sandboxes`,
    });
  };
  const setReplicas = async (n: number) => {
    await custom.patchNamespacedCustomObject({ ...params, name: POOL, body: { spec: { replicas: n } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  };
  return { secret, setReplicas, poolReady };
}
