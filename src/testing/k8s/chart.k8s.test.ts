/**
 * deploy/helm/sandgate on the real API server: every backend's example values pass `helm lint --strict`
 * and render, and every rendered object plus the example's own objects is accepted by a server-side dry
 * run (schema, defaulting, admission; CRDs installed). The rendered gateway configuration parses with
 * sandgate's own config loader. Bad values fail the render with a message naming the value.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject, V1Deployment, V1PolicyRule } from '@kubernetes/client-node';
import { CONFIG_KEYS, envName, loadConfig } from '../../config/load.js';
import { installCrds, type CrdSet } from './crds.js';
import { k8sSkip, TestCluster } from './cluster.js';
import { dryRunCreate, helm, helmSkip, helmTemplate, helmTemplateError, manifestFile } from './helm.js';
import { AUDIENCE as SUBSTRATE_FAKE_AUDIENCE } from '../fakes/substrate/token-review.js';

const skip = k8sSkip() || helmSkip();

interface Example {
  name: string;
  backend: string;
  values: string;
  /** The backend's own objects shipped beside the values. */
  objects: string[];
  crds: CrdSet[];
  /** Kinds the chart renders for it. */
  kinds: string[];
  /** Rules granted per namespace key ('release' | 'isola' | 'cluster'): "group/resource: verbs". */
  rules: Record<string, string[]>;
}

const base = ['Deployment', 'Secret', 'Service', 'ServiceAccount'];
const EXAMPLES: Example[] = [
  {
    name: 'agent-sandbox',
    backend: 'agent-sandbox',
    values: 'deploy/examples/agent-sandbox/values.yaml',
    objects: ['deploy/examples/agent-sandbox/sandbox-template.yaml'],
    crds: [],
    kinds: [...base, 'NetworkPolicy', 'PodDisruptionBudget', 'Role', 'RoleBinding'],
    rules: { release: ['extensions.agents.x-k8s.io/sandboxclaims: create,list,watch,delete', '/pods: list,watch'] },
  },
  {
    name: 'openshell (grpc)',
    backend: 'openshell',
    values: 'deploy/examples/openshell/values-grpc.yaml',
    objects: ['deploy/examples/openshell/token-secret.yaml'],
    crds: [],
    kinds: base,
    rules: {},
  },
  {
    name: 'openshell (kubernetes)',
    backend: 'openshell',
    values: 'deploy/examples/openshell/values-kubernetes.yaml',
    objects: [],
    crds: [],
    kinds: [...base, 'NetworkPolicy', 'Role', 'RoleBinding'],
    rules: { release: ['agents.x-k8s.io/sandboxes: create,list,watch,delete,patch', '/pods: list,watch'] },
  },
  {
    name: 'substrate',
    backend: 'substrate',
    values: 'deploy/examples/substrate/values.yaml',
    objects: ['deploy/examples/substrate/actor-template.yaml'],
    crds: ['substrate'],
    kinds: base,
    rules: {},
  },
  {
    name: 'karssandbox',
    backend: 'karssandbox',
    values: 'deploy/examples/karssandbox/values.yaml',
    objects: ['deploy/examples/karssandbox/inference-policy.yaml'],
    crds: ['kars'],
    kinds: [...base, 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    rules: { release: ['kars.azure.com/karssandboxes: create,list,watch,delete', 'kars.azure.com/inferencepolicies: get'], cluster: ['/pods: list'] },
  },
  {
    name: 'isola',
    backend: 'isola',
    values: 'deploy/examples/isola/values.yaml',
    objects: ['deploy/examples/isola/namespace.yaml'],
    crds: ['isola'],
    kinds: [...base, 'NetworkPolicy', 'Role', 'RoleBinding'],
    rules: { isola: ['sandbox.isola.run/sandboxes: create,list,watch,delete'] },
  },
];

const KNOWN_ENV = new Set(CONFIG_KEYS.map(envName));
const byKind = (docs: KubernetesObject[], kind: string) => docs.filter((d) => d.kind === kind);
const deploymentOf = (docs: KubernetesObject[]) => {
  const [d, ...more] = byKind(docs, 'Deployment') as V1Deployment[];
  assert.ok(d && more.length === 0, 'exactly one Deployment');
  return d;
};
const ruleText = (rules: V1PolicyRule[] = []) => rules.map((r) => `${(r.apiGroups ?? []).join(',')}/${(r.resources ?? []).join(',')}: ${r.verbs.join(',')}`);

/** Env of the gateway container with every Secret reference replaced by a valid stand-in. */
function gatewayEnv(deployment: V1Deployment): Record<string, string> {
  const container = deployment.spec?.template.spec?.containers[0];
  const env: Record<string, string> = {};
  for (const e of container?.env ?? []) {
    assert.ok(KNOWN_ENV.has(e.name), `${e.name} is not a sandgate config key's environment variable (the gateway would ignore it)`);
    env[e.name] = e.valueFrom?.secretKeyRef ? 'x'.repeat(48) : (e.value ?? '');
  }
  return env;
}

describe('Helm chart deploy/helm/sandgate against the real API server', { skip, timeout: 300_000 }, () => {
  const cluster = new TestCluster();
  let ns = '';
  let isolaNs = '';
  let otherNs = '';

  before(async () => {
    [ns, isolaNs, otherNs] = await Promise.all([cluster.namespace('chart'), cluster.namespace('isola'), cluster.namespace('callers')]);
    await installCrds(cluster.kc, ['kars', 'isola', 'monitoring', 'substrate']);
  });
  after(() => cluster.close());

  for (const ex of EXAMPLES) {
    test(`${ex.name}: example values render, every object passes a server-side dry run, the config parses`, async () => {
      const render = { namespace: ns, valuesFiles: [ex.values], values: ex.backend === 'isola' ? { config: { isolaNamespace: isolaNs } } : {} };
      const lint = helm(render, 'lint');
      assert.ok(lint.ok, `helm lint --strict: ${lint.stdout}${lint.stderr}`);
      const docs = helmTemplate(render);
      assert.deepEqual([...new Set(docs.map((d) => d.kind ?? ''))].sort(), [...ex.kinds].sort());
      for (const d of docs) {
        if (!['ClusterRole', 'ClusterRoleBinding'].includes(d.kind ?? '')) assert.ok(d.metadata?.namespace, `${d.kind}/${d.metadata?.name} names its namespace`);
      }
      const own = ex.objects.flatMap(manifestFile);
      const accepted = await dryRunCreate(cluster.objects, [...docs, ...own], ns);
      assert.equal(accepted.length, docs.length + own.length);

      // RBAC: exactly the expected rules, in the expected namespaces.
      const granted: Record<string, string[]> = {};
      for (const role of [...byKind(docs, 'Role'), ...byKind(docs, 'ClusterRole')] as (KubernetesObject & { rules: V1PolicyRule[] })[]) {
        const where = role.kind === 'ClusterRole' ? 'cluster' : role.metadata?.namespace === isolaNs ? 'isola' : 'release';
        granted[where] = [...(granted[where] ?? []), ...ruleText(role.rules)];
      }
      assert.deepEqual(granted, ex.rules);

      // The gateway: `serve` with a config sandgate accepts, probes on the management port, drains in time.
      const deployment = deploymentOf(docs);
      const pod = deployment.spec?.template.spec;
      const gateway = pod?.containers[0];
      assert.deepEqual(gateway?.args, ['serve']);
      const config = loadConfig({ env: gatewayEnv(deployment), flags: {} });
      assert.equal(config.backend, ex.backend);
      const management = gateway?.ports?.find((p) => p.name === 'management')?.containerPort;
      assert.equal(config.management, `0.0.0.0:${management}`);
      assert.equal(gateway?.livenessProbe?.httpGet?.path, '/healthz');
      assert.equal(gateway?.readinessProbe?.httpGet?.path, '/readyz');
      assert.equal(gateway?.readinessProbe?.httpGet?.port, 'management');
      const preStop = gateway?.lifecycle?.preStop?.sleep?.seconds ?? 0;
      assert.ok((pod?.terminationGracePeriodSeconds ?? 0) * 1000 > preStop * 1000 + config.drainTimeout, 'the grace period outlasts preStop + drain');
      assert.equal(pod?.securityContext?.runAsNonRoot, true);
      assert.equal(gateway?.securityContext?.readOnlyRootFilesystem, true);
      assert.equal(pod?.automountServiceAccountToken, Object.keys(ex.rules).length > 0 || config.identity === 'pod-label', 'the API token is mounted only where the gateway calls the API');
    });
  }

  test('substrate: the projected token has the substrate audience; CA and token land where the config points', () => {
    const docs = helmTemplate({ namespace: ns, valuesFiles: ['deploy/examples/substrate/values.yaml'] });
    const deployment = deploymentOf(docs);
    const config = loadConfig({ env: gatewayEnv(deployment), flags: {} });
    const volume = deployment.spec?.template.spec?.volumes?.find((v) => v.name === 'substrate');
    const mount = deployment.spec?.template.spec?.containers[0]?.volumeMounts?.find((m) => m.name === 'substrate');
    const sources = volume?.projected?.sources ?? [];
    // The audience the substrate backend's tests verify with a real TokenReview.
    assert.equal(sources.find((s) => s.serviceAccountToken)?.serviceAccountToken?.audience, SUBSTRATE_FAKE_AUDIENCE);
    assert.equal(config.substrateTokenFile, `${mount?.mountPath}/${sources.find((s) => s.serviceAccountToken)?.serviceAccountToken?.path}`);
    assert.equal(config.substrateCaFile, `${mount?.mountPath}/${sources.find((s) => s.secret)?.secret?.items?.[0]?.path}`);
  });

  test('openshell grpc: the token Secret is mounted where openshellTokenFile points', () => {
    const deployment = deploymentOf(helmTemplate({ namespace: ns, valuesFiles: ['deploy/examples/openshell/values-grpc.yaml'] }));
    const config = loadConfig({ env: gatewayEnv(deployment), flags: {} });
    const mount = deployment.spec?.template.spec?.containers[0]?.volumeMounts?.find((m) => m.name === 'openshell');
    const source = deployment.spec?.template.spec?.volumes?.find((v) => v.name === 'openshell')?.projected?.sources?.[0]?.secret;
    assert.equal(source?.name, 'openshell-token');
    assert.equal(config.openshellTokenFile, `${mount?.mountPath}/${source?.items?.[0]?.path}`);
  });

  test('options: ServiceMonitor, PodDisruptionBudget only above one replica, existing secret, pod-label in another namespace', async () => {
    const render = (values: Record<string, unknown>) => helmTemplate({ namespace: ns, valuesFiles: ['deploy/examples/agent-sandbox/values.yaml'], values });
    assert.equal(byKind(render({ replicas: 1 }), 'PodDisruptionBudget').length, 0, 'no PDB at one replica: it would block drains');
    const [pdb] = byKind(render({ replicas: 3 }), 'PodDisruptionBudget') as (KubernetesObject & { spec: { maxUnavailable: number } })[];
    assert.equal(pdb?.spec.maxUnavailable, 1);

    const docs = render({ metrics: { serviceMonitor: { enabled: true } }, sandboxSecret: { existingSecret: 'mine' }, podLabel: { namespaces: [ns, otherNs] } });
    assert.equal(byKind(docs, 'Secret').length, 0, 'an existing Secret is not generated');
    const secretRef = deploymentOf(docs).spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'SANDGATE_SANDBOX_SECRET')?.valueFrom?.secretKeyRef;
    assert.equal(secretRef?.name, 'mine');
    assert.equal(loadConfig({ env: gatewayEnv(deploymentOf(docs)), flags: {} }).podLabelNamespaces.join(' '), `${ns} ${otherNs}`);
    const roles = byKind(docs, 'Role').map((r) => r.metadata?.namespace).sort();
    assert.deepEqual(roles, [ns, otherNs].sort());
    assert.equal(byKind(docs, 'ServiceMonitor').length, 1);
    await dryRunCreate(cluster.objects, docs, ns);

    const generated = byKind(render({}), 'Secret')[0] as KubernetesObject & { data: Record<string, string> };
    assert.equal(Buffer.from(generated.data.SANDGATE_SANDBOX_SECRET ?? '', 'base64').toString().length, 48);
  });

  test('the dry run checks and stores nothing: a broken object is refused with the reason, the accepted ones are not created', async () => {
    const docs = helmTemplate({ namespace: ns, valuesFiles: ['deploy/examples/agent-sandbox/values.yaml'] });
    const template = manifestFile('deploy/examples/agent-sandbox/sandbox-template.yaml')[0] as KubernetesObject & { spec: Record<string, unknown> };
    const broken = { ...template, spec: { ...template.spec, podTemplate: undefined } };
    await assert.rejects(dryRunCreate(cluster.objects, [...docs, broken], ns), /refused 1 of \d+ objects:\n {2}SandboxTemplate\/sandgate in .*podTemplate/);
    const apps = await cluster.objects.list('apps/v1', 'Deployment', ns);
    const sas = await cluster.objects.list('v1', 'ServiceAccount', ns);
    assert.equal(apps.items.length, 0);
    assert.ok(!sas.items.some((sa) => sa.metadata?.name === 'sandgate'));
  });

  const negative: [string, Record<string, unknown>, RegExp][] = [
    ['no backend', {}, /backend is required/],
    ['a local backend', { backend: 'local-process' }, /backend "local-process" is not a Kubernetes backend/],
    ['an unknown identity', { backend: 'isola', identity: 'cookie' }, /identity "cookie" is unknown/],
    ['a chart-owned config key', { backend: 'isola', config: { listen: '0.0.0.0:1' } }, /config\.listen is set by the chart/],
    ['identity=token without its secret', { backend: 'isola', identity: 'token' }, /identity=token needs configFromSecrets\.tokenSecret/],
    ['an unknown openshell mode', { backend: 'openshell', config: { openshellMode: 'ssh' } }, /openshellMode "ssh"/],
    ['substrate mtls without a client certificate', { backend: 'substrate', config: { substrateAuth: 'mtls' } }, /substrateAuth=mtls needs substrate\.clientCertSecret/],
    ['substrate without a CA', { backend: 'substrate', substrate: { caSecret: { name: '' } } }, /needs substrate\.caSecret\.name/],
    ['a secret-read key the chart does not know', { backend: 'isola', configFromSecrets: { listen: { secret: 's', key: 'k' } } }, /configFromSecrets\.listen: only tokenSecret and adminToken/],
  ];
  for (const [what, values, message] of negative) {
    test(`refuses ${what} with a message naming the value`, () => {
      assert.match(helmTemplateError({ namespace: ns, values }), message);
    });
  }
});
