/**
 * backend=isola on the real API server with our isola CRD, the isola test controller and the test
 * node agent: the contract suite, the Sandbox it writes, each terminal reason typed, names ≤ 47
 * characters, other gateways' Sandboxes never listed or reaped, and the fixture's settings() reaching
 * the backend through createBackend(loadConfig()).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { backendContract, browserAnswers } from '../contract.js';
import { SandgateError } from '../../errors/errors.js';
import { listWatch } from '../../kube/list-watch.js';
import { waitFor } from '../../kube/wait-for.js';
import { chromiumSkip } from '../../testing/prereq.js';
import { k8sSkip } from '../../testing/k8s/cluster.js';
import { kubeBackendTests } from '../../testing/k8s/backend-tests.js';
import { IsolaFixture } from './fixture.js';
import type { IsolaSandbox } from './sandbox.js';

const skip = k8sSkip() || chromiumSkip();
const never = () => new AbortController().signal;
const fixture = new IsolaFixture();

before(async () => {
  if (!skip) await fixture.start();
});
after(async () => {
  if (!skip) await fixture.close();
});

backendContract('isola', {
  skip,
  async make() {
    const backend = fixture.backend({ gatewayId: `gw-${Math.random().toString(36).slice(2, 8)}` });
    return { backend, kill: (tenant) => fixture.crash(tenant) };
  },
  async makeBroken() {
    return fixture.backend({ egressCidrs: ['not-a-cidr'] }); // the API server refuses the Sandbox (isCIDR)
  },
});

const terminal = (reason: string) => (err: unknown) => {
  assert.ok(err instanceof SandgateError, String(err));
  assert.equal(err.code, 'SG_BACKEND_TERMINAL', err.message);
  assert.equal(err.detail?.reason, reason, err.message);
  return true;
};

async function sandboxes(f: IsolaFixture): Promise<IsolaSandbox[]> {
  const custom = f.cluster.kc.makeApiClient(CustomObjectsApi);
  return ((await custom.listNamespacedCustomObject({ group: 'sandbox.isola.run', version: 'v1alpha1', namespace: f.namespace, plural: 'sandboxes' })) as { items: IsolaSandbox[] }).items;
}

describe('isola on the test controller', { skip, timeout: 300_000 }, () => {
  test('the Sandbox: explicit command, network, tenant labels; the pod runs with gVisor; names ≤ 47 characters', async () => {
    const backend = fixture.backend({ gatewayId: 'gw-shape' });
    await backend.start();
    try {
      const tenant = `Team/${'very-long-tenant-id-'.repeat(5)}`;
      const endpoint = await backend.ensure(tenant, { signal: never() });
      assert.match(await browserAnswers(endpoint), /\d+\./);
      const name = backend.objectName(tenant);
      assert.ok(name.length <= 47, name);
      const sb = (await sandboxes(fixture)).find((s) => s.metadata?.name === name);
      const container = sb?.spec?.podTemplate.spec.containers[0];
      assert.deepEqual(container?.command, ['/usr/bin/tini', '--', 'sandgate']);
      assert.deepEqual(container?.args, ['sandbox', '--port', '9222']);
      assert.deepEqual(sb?.spec?.network, { allowInternetEgress: true, allowClusterDNS: true, allowedEgressCIDRs: ['10.0.0.0/8'] });
      assert.equal(sb?.metadata?.labels?.['sandgate.io/gateway'], 'gw-shape');
      assert.equal(sb?.metadata?.annotations?.['sandgate.io/tenant'], tenant);
      const [pod] = await fixture.pods(tenant);
      assert.equal(pod?.spec?.runtimeClassName, 'gvisor');
      assert.equal(pod?.metadata?.ownerReferences?.[0]?.uid, sb?.metadata?.uid);
      assert.equal(endpoint.host, pod?.status?.podIP);
    } finally {
      await backend.close();
    }
  });

  test('a crashed sandbox: PodFailed, reported lost, deleted, and the next ensure starts a new one', async () => {
    const backend = fixture.backend({ gatewayId: 'gw-crash' });
    await backend.start();
    try {
      const first = await backend.ensure('crasher', { signal: never() });
      const lost = new Promise<string>((resolve) => backend.onLost((_t, _id, reason) => resolve(reason)));
      await fixture.crash('crasher');
      assert.match(await lost, /no longer ready \(terminal\)/);
      const second = await backend.ensure('crasher', { signal: never() });
      assert.notEqual(second.id, first.id);
      assert.match(await browserAnswers(second), /\d+\./);
    } finally {
      await backend.close();
    }
  });

  kubeBackendTests('isola', fixture);
});

describe('isola terminal reasons are typed', { skip, timeout: 120_000 }, () => {
  test('InvalidRuntime: the gVisor RuntimeClass is not installed', async () => {
    const f = new IsolaFixture();
    await f.start({ runtimeClass: 'sandgate-test-no-such-runtime' }, false);
    const backend = f.backend();
    await backend.start();
    try {
      await assert.rejects(backend.ensure('t', { signal: never() }), terminal('InvalidRuntime'));
    } finally {
      await backend.close();
      await f.close();
    }
  });

  test('PodCreationFailed: the API server refuses the pod (a quota of 0 pods)', async () => {
    const f = new IsolaFixture();
    await f.start({ startupTimeoutMs: 15_000 }, false);
    // Before any pod is created in the namespace: quota admission caches "no quota" for a while.
    await f.cluster.core.createNamespacedResourceQuota({ namespace: f.namespace, body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } } });
    // No quota controller runs on this plane: report the usage it would (admission needs it).
    await f.cluster.core.replaceNamespacedResourceQuotaStatus({ namespace: f.namespace, name: 'no-pods', body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } }, status: { hard: { pods: '0' }, used: { pods: '0' } } } });
    const backend = f.backend();
    await backend.start();
    try {
      await assert.rejects(backend.ensure('refused', { signal: never() }), terminal('PodCreationFailed'));
    } finally {
      await backend.close();
      await f.close();
    }
  });

  describe('with no node running the pods', () => {
    const f = new IsolaFixture();
    before(() => f.start({ startupTimeoutMs: 4000 }, false));
    after(() => f.close());
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

    /** Plays the kubelet: once the tenant's pod exists, reports it in `phase`. */
    async function podEnds(tenant: string, phase: 'Failed' | 'Succeeded'): Promise<void> {
      const core = f.cluster.kc.makeApiClient(CoreV1Api);
      const pods = listWatch(f.cluster.kc, `/api/v1/namespaces/${f.namespace}/pods`, {}, () => core.listNamespacedPod({ namespace: f.namespace }));
      const name = await waitFor(pods, (items) => items.find((p) => p.metadata?.annotations?.['sandgate.io/tenant'] === tenant)?.metadata?.name, { deadline: Date.now() + 10_000 });
      await core.patchNamespacedPodStatus({ namespace: f.namespace, name, body: { status: { phase, reason: 'Test', message: `set ${phase} by the test` } } }, merge);
    }

    test('PodFailed and PodSucceeded', async () => {
      const backend = f.backend();
      await backend.start();
      try {
        const failing = backend.ensure('fails', { signal: never() });
        await podEnds('fails', 'Failed');
        await assert.rejects(failing, terminal('PodFailed'));
        const exiting = backend.ensure('exits', { signal: never() });
        await podEnds('exits', 'Succeeded');
        await assert.rejects(exiting, terminal('PodSucceeded'));
      } finally {
        await backend.close();
      }
    });

    test('StartupTimeoutExceeded: the pod never becomes Ready', async () => {
      const backend = f.backend();
      await backend.start();
      try {
        const started = Date.now();
        await assert.rejects(backend.ensure('slow', { signal: never() }), terminal('StartupTimeoutExceeded'));
        assert.ok(Date.now() - started >= 3000);
      } finally {
        await backend.close();
      }
    });
  });
});
