/**
 * Installs sandgate's own minimal CRDs (crds/kars.yaml, crds/isola.yaml) on the test control plane.
 * Idempotent: a CRD that exists with the same content (annotation `sandgate.io/crd-sha`) is left as it
 * is; one from an older revision of these files is replaced. CRDs are cluster-scoped and shared by
 * every test on the plane, so nothing here deletes them. Resolves once each one is Established.
 *
 * The documents are read with the client's loadAllYaml (typed models): the typed client serialises model properties
 * (`_enum`, `x_kubernetes_validations` …), so plain YAML keys such as `enum` would be dropped silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ApiextensionsV1Api, loadAllYaml, type KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { isConflict } from '../../kube/errors.js';
import { listWatch } from '../../kube/list-watch.js';
import { waitFor } from '../../kube/wait-for.js';
import { REPO_ROOT } from './cluster.js';

/** kars, isola: the backends' kinds; monitoring (ServiceMonitor), substrate (ActorTemplate): the chart's and examples' kinds. */
export type CrdSet = 'kars' | 'isola' | 'monitoring' | 'substrate';

export const CRD_DIR = join(REPO_ROOT, 'src/testing/k8s/crds');

const SHA_ANNOTATION = 'sandgate.io/crd-sha';

/** The CRDs of one file as typed models, each annotated with the hash of its document. */
export function crdDocuments(set: CrdSet): V1CustomResourceDefinition[] {
  return (loadAllYaml(readFileSync(join(CRD_DIR, `${set}.yaml`), 'utf8')) as V1CustomResourceDefinition[]).map((crd) => {
    const sha = createHash('sha256').update(JSON.stringify(crd)).digest('hex').slice(0, 16);
    crd.metadata = { ...crd.metadata, annotations: { ...crd.metadata?.annotations, [SHA_ANNOTATION]: sha } };
    return crd;
  });
}

const established = (crd: V1CustomResourceDefinition | undefined) => crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');

export async function installCrds(kc: KubeConfig, names: CrdSet[], timeoutMs = 30_000): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = names.flatMap(crdDocuments);
  await Promise.all(
    crds.map(async (body) => {
      const name = body.metadata?.name ?? '';
      try {
        await api.createCustomResourceDefinition({ body });
      } catch (err) {
        if (!isConflict(err)) throw err;
        const stored = await api.readCustomResourceDefinition({ name });
        if (stored.metadata?.annotations?.[SHA_ANNOTATION] !== body.metadata?.annotations?.[SHA_ANNOTATION]) {
          const resourceVersion = stored.metadata?.resourceVersion ?? '';
          await api.replaceCustomResourceDefinition({ name, body: { ...body, metadata: { ...body.metadata, resourceVersion } } });
        }
      }
      const selection = { fieldSelector: `metadata.name=${name}` };
      const source = listWatch<V1CustomResourceDefinition>(kc, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', selection, () =>
        api.listCustomResourceDefinition(selection),
      );
      await waitFor(source, (items) => (established(items[0]) ? true : undefined), { deadline: Date.now() + timeoutMs, what: `CRD ${name} to be Established` });
    }),
  );
}
