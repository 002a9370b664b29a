/**
 * deploy/examples/kaniko: every object of every registry's build is accepted by a server-side dry run
 * on the real API server, and each Job builds this repository's image recipe with a pinned kaniko and
 * the registry auth that registry needs (mounted docker config with credHelpers or auths, IRSA or
 * workload identity annotations, key file env).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject, V1ConfigMap, V1Job, V1Secret, V1ServiceAccount } from '@kubernetes/client-node';
import { k8sSkip, REPO_ROOT, TestCluster } from './cluster.js';
import { dryRunCreate, manifestFile } from './helm.js';

const skip = k8sSkip();
const DIR = 'deploy/examples/kaniko';

interface Registry {
  file: string;
  /** Host of the pushed image. */
  host: RegExp;
  /** How the docker config reaches kaniko: credHelpers (ConfigMap) or auths (Secret). */
  config: { kind: 'ConfigMap'; helper: string } | { kind: 'Secret' };
  /** Annotation the ServiceAccount needs for federated identity, if any. */
  identity?: string;
  env?: string;
}

const REGISTRIES: Registry[] = [
  { file: 'ecr.yaml', host: /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\//, config: { kind: 'ConfigMap', helper: 'ecr-login' }, identity: 'eks.amazonaws.com/role-arn' },
  { file: 'acr.yaml', host: /^[a-z0-9]+\.azurecr\.io\//, config: { kind: 'Secret' } },
  { file: 'artifact-registry.yaml', host: /^[a-z0-9-]+-docker\.pkg\.dev\//, config: { kind: 'ConfigMap', helper: 'gcr' }, identity: 'iam.gke.io/gcp-service-account' },
  { file: 'artifact-registry-key.yaml', host: /^[a-z0-9-]+-docker\.pkg\.dev\//, config: { kind: 'ConfigMap', helper: 'gcr' }, env: 'GOOGLE_APPLICATION_CREDENTIALS' },
  { file: 'dockerhub.yaml', host: /^docker\.io\//, config: { kind: 'Secret' } },
];

const arg = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('kaniko image builds (deploy/examples/kaniko) against the real API server', { skip, timeout: 120_000 }, () => {
  const cluster = new TestCluster();
  let ns = '';
  before(async () => {
    ns = await cluster.namespace('kaniko');
  });
  after(() => cluster.close());

  test('there is one example per registry and nothing else', () => {
    assert.deepEqual(readdirSync(join(REPO_ROOT, DIR)).sort(), REGISTRIES.map((r) => r.file).sort());
  });

  for (const reg of REGISTRIES) {
    test(`${reg.file}: accepted by a dry run; builds deploy/image/Dockerfile with a pinned kaniko and the registry's auth`, async () => {
      const docs = manifestFile(`${DIR}/${reg.file}`);
      await dryRunCreate(cluster.objects, docs, ns);
      const find = <T extends KubernetesObject>(kind: string, name?: string) => docs.find((d) => d.kind === kind && (!name || d.metadata?.name === name)) as T | undefined;
      const job = find<V1Job>('Job');
      const pod = job?.spec?.template.spec;
      const kaniko = pod?.containers[0];
      assert.match(kaniko?.image ?? '', /^gcr\.io\/kaniko-project\/executor:v\d+\.\d+\.\d+$/, 'a pinned executor release');
      const args = kaniko?.args ?? [];
      const dockerfile = arg(args, 'dockerfile') ?? '';
      assert.ok(existsSync(join(REPO_ROOT, dockerfile)) && dockerfile === 'deploy/image/Dockerfile', `--dockerfile=${dockerfile}`);
      assert.match(arg(args, 'context') ?? '', /^git:\/\/.+\.git#refs\/(tags|heads)\/.+$/, 'a git context at a pinned ref');
      assert.match(arg(args, 'destination') ?? '', reg.host);
      assert.equal(pod?.restartPolicy, 'Never');

      // The docker config kaniko reads: /kaniko/.docker/config.json.
      const mount = kaniko?.volumeMounts?.find((m) => m.mountPath === '/kaniko/.docker');
      const volume = pod?.volumes?.find((v) => v.name === mount?.name);
      if (reg.config.kind === 'ConfigMap') {
        const cm = find<V1ConfigMap>('ConfigMap', volume?.configMap?.name);
        const config = JSON.parse(cm?.data?.['config.json'] ?? '{}') as { credHelpers?: Record<string, string> };
        const host = (arg(args, 'destination') ?? '').split('/')[0] ?? '';
        assert.equal(config.credHelpers?.[host], reg.config.helper, `credHelpers for ${host}`);
      } else {
        assert.equal(volume?.secret?.items?.[0]?.key, '.dockerconfigjson');
        assert.equal(volume?.secret?.items?.[0]?.path, 'config.json');
        const secret = find<V1Secret & { stringData?: Record<string, string> }>('Secret', volume?.secret?.secretName);
        assert.equal(secret?.type, 'kubernetes.io/dockerconfigjson');
        const auths = (JSON.parse(secret?.stringData?.['.dockerconfigjson'] ?? '{}') as { auths?: Record<string, unknown> }).auths ?? {};
        const host = (arg(args, 'destination') ?? '').split('/')[0] ?? '';
        const key = host === 'docker.io' ? 'https://index.docker.io/v1/' : host;
        assert.ok(auths[key], `auths for ${key}`);
      }
      if (reg.identity) {
        const sa = find<V1ServiceAccount>('ServiceAccount', pod?.serviceAccountName);
        assert.ok(sa?.metadata?.annotations?.[reg.identity], `ServiceAccount ${pod?.serviceAccountName} has ${reg.identity}`);
      } else {
        assert.equal(pod?.automountServiceAccountToken, false, 'no Kubernetes token where no federated identity is used');
      }
      if (reg.env) {
        const value = kaniko?.env?.find((e) => e.name === reg.env)?.value ?? '';
        assert.ok(kaniko?.volumeMounts?.some((m) => value.startsWith(`${m.mountPath}/`)), `${reg.env}=${value} is on a mounted volume`);
      }
    });
  }
});
