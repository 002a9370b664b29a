/**
 * backend=karssandbox on the real API server with our KARS CRDs, the KARS test controller and the
 * test node agent: the contract suite, the BYO object it writes, the endpoint (pod IP, not the
 * 8443-only Service), the missing InferencePolicy (before creating, and Degraded from the controller),
 * Failed typed, suspended, other gateways untouched, settings() through createBackend(loadConfig()).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { backendContract, browserAnswers } from '../contract.js';
import { SandgateError } from '../../errors/errors.js';
import { listWatch } from '../../kube/list-watch.js';
import { waitFor } from '../../kube/wait-for.js';
import { chromiumSkip } from '../../testing/prereq.js';
import { k8sSkip } from '../../testing/k8s/cluster.js';
import { kubeBackendTests } from '../../testing/k8s/backend-tests.js';
import { KarsFixture, POLICY } from './fixture.js';
import { KARS_GROUP, KARS_VERSION, type KarsSandbox } from './kars.js';

const skip = k8sSkip() || chromiumSkip();
const never = () => new AbortController().signal;
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const fixture = new KarsFixture();

before(async () => {
  if (!skip) await fixture.start();
});
after(async () => {
  if (!skip) await fixture.close();
});

backendContract('karssandbox', {
  skip,
  async make() {
    const backend = fixture.backend({ gatewayId: `gw-${Math.random().toString(36).slice(2, 8)}` });
    return { backend, kill: (tenant) => fixture.killPod(backend, tenant) };
  },
  async makeBroken() {
    return fixture.backend({ inferenceRef: 'no-such-policy' });
  },
});

const terminal = (reason: string) => (err: unknown) => {
  assert.ok(err instanceof SandgateError, String(err));
  assert.equal(err.code, 'SG_BACKEND_TERMINAL', err.message);
  assert.equal(err.detail?.reason, reason, err.message);
  return true;
};

async function read(f: KarsFixture, name: string): Promise<KarsSandbox | undefined> {
  const list = (await f.custom.listNamespacedCustomObject({ group: KARS_GROUP, version: KARS_VERSION, namespace: f.namespace, plural: 'karssandboxes', fieldSelector: `metadata.name=${name}` })) as { items: KarsSandbox[] };
  return list.items[0];
}

describe('karssandbox on the test controller', { skip, timeout: 300_000 }, () => {
  test('the BYO KarsSandbox and its endpoint: the sandbox pod IP on the runtime port, not the 8443 Service', async () => {
    const backend = fixture.backend({ gatewayId: 'gw-shape' });
    await backend.start();
    try {
      const endpoint = await backend.ensure('shape', { signal: never() });
      assert.match(await browserAnswers(endpoint), /\d+\./);
      const sb = await read(fixture, backend.objectName('shape'));
      assert.deepEqual(sb?.spec?.runtime, {
        kind: 'BYO',
        byo: { image: 'sandgate:latest', contractVersion: 'v1', command: ['/usr/bin/tini', '--', 'sandgate'], args: ['sandbox', '--port', '9222'], env: [{ name: 'SANDGATE_SANDBOX_SECRET', value: fixture.secret }, { name: 'HOME', value: '/tmp' }] },
      });
      assert.deepEqual(sb?.spec?.sandbox, { isolation: 'standard', runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, writablePaths: ['/tmp'] });
      assert.deepEqual(sb?.spec?.inferenceRef, { name: POLICY });
      assert.equal(sb?.status?.phase, 'Running');
      const [pod] = await fixture.pods(backend, 'shape');
      assert.equal(endpoint.host, pod?.status?.podIP);
      assert.equal(endpoint.port, 9222);
      const service = await fixture.cluster.core.readNamespacedService({ namespace: sb?.status?.namespace ?? '', name: 'sandbox' });
      assert.deepEqual(service.spec?.ports?.map((p) => p.port), [8443]);
      assert.ok(backend.objectName('x'.repeat(100)).length <= 58, 'kars-<name> stays a valid namespace name');
    } finally {
      await backend.close();
    }
  });

  test('a Failed sandbox (pod evicted) is typed, reported lost, deleted, and the next ensure starts a new one', async () => {
    const backend = fixture.backend({ gatewayId: 'gw-failed' });
    await backend.start();
    try {
      const first = await backend.ensure('evicted', { signal: never() });
      const lost = new Promise<string>((resolve) => backend.onLost((_t, _id, reason) => resolve(reason)));
      const [pod] = await fixture.pods(backend, 'evicted');
      await fixture.cluster.core.patchNamespacedPodStatus({ namespace: pod?.metadata?.namespace ?? '', name: pod?.metadata?.name ?? '', body: { status: { phase: 'Failed', reason: 'Evicted' } } }, merge);
      assert.match(await lost, /no longer ready \(terminal\)/);
      const second = await backend.ensure('evicted', { signal: never() });
      assert.notEqual(second.id, first.id);
      assert.match(await browserAnswers(second), /\d+\./);
    } finally {
      await backend.close();
    }
  });

  test('suspended: true removes the pod and keeps the namespace; the backend reports it lost and does not resume it', async () => {
    const backend = fixture.backend({ gatewayId: 'gw-suspended' });
    await backend.start();
    try {
      await backend.ensure('paused', { signal: never() });
      const lost = new Promise<string>((resolve) => backend.onLost((_t, _id, reason) => resolve(reason)));
      const name = backend.objectName('paused');
      await fixture.custom.patchNamespacedCustomObject({ group: KARS_GROUP, version: KARS_VERSION, namespace: fixture.namespace, plural: 'karssandboxes', name, body: { spec: { suspended: true } } }, merge);
      await lost;
      const core = fixture.cluster.core;
      const target = `kars-${name}`;
      await waitFor(listWatch(fixture.cluster.kc, `/api/v1/namespaces/${target}/pods`, {}, () => core.listNamespacedPod({ namespace: target })), (pods) => (pods.length === 0 ? true : undefined), { deadline: Date.now() + 30_000 });
      assert.equal((await core.readNamespace({ name: target })).status?.phase, 'Active');
      await assert.rejects(backend.ensure('paused', { signal: never() }), terminal('Suspended'));
    } finally {
      await backend.close();
    }
  });

  kubeBackendTests('karssandbox', fixture);
});

describe('karssandbox: the InferencePolicy and Failed, typed', { skip, timeout: 120_000 }, () => {
  const f = new KarsFixture();
  before(() => f.start(false, false));
  after(() => f.close());

  test('a missing InferencePolicy is refused before anything is created', async () => {
    const backend = f.backend({ inferenceRef: 'no-such-policy' });
    await backend.start();
    try {
      await assert.rejects(backend.ensure('t', { signal: never() }), terminal('InferencePolicyNotFound'));
      assert.equal(await read(f, backend.objectName('t')), undefined);
    } finally {
      await backend.close();
    }
  });

  test("the controller's Degraded/InferencePolicyNotFound (policy deleted after the check) and Failed are typed", async () => {
    const backend = f.backend();
    await backend.start();
    try {
      // The assertion is attached now: the rejection may come while the test still awaits the controller.
      const degraded = assert.rejects(backend.ensure('degraded', { signal: never() }), terminal('InferencePolicyNotFound'));
      await waitFor(listWatch(f.cluster.kc, `/apis/${KARS_GROUP}/${KARS_VERSION}/namespaces/${f.namespace}/karssandboxes`, {}, async () => (await f.custom.listNamespacedCustomObject({ group: KARS_GROUP, version: KARS_VERSION, namespace: f.namespace, plural: 'karssandboxes' })) as { items: KarsSandbox[] }), (items) => (items.length ? true : undefined), { deadline: Date.now() + 10_000 });
      await f.custom.deleteNamespacedCustomObject({ group: KARS_GROUP, version: KARS_VERSION, namespace: f.namespace, plural: 'inferencepolicies', name: POLICY });
      await f.startController();
      await degraded;
      // Policy back; no node runs the pod, so the test plays the kubelet failing it.
      await f.custom.createNamespacedCustomObject({ group: KARS_GROUP, version: KARS_VERSION, namespace: f.namespace, plural: 'inferencepolicies', body: { apiVersion: `${KARS_GROUP}/${KARS_VERSION}`, kind: 'InferencePolicy', metadata: { name: POLICY }, spec: {} } });
      const failing = assert.rejects(backend.ensure('failing', { signal: never() }), terminal('PodFailed'));
      const target = `kars-${backend.objectName('failing')}`;
      const core = f.cluster.core;
      const pod = await waitFor(listWatch(f.cluster.kc, `/api/v1/namespaces/${target}/pods`, {}, () => core.listNamespacedPod({ namespace: target })), (pods) => pods[0]?.metadata?.name, { deadline: Date.now() + 15_000 });
      await core.patchNamespacedPodStatus({ namespace: target, name: pod, body: { status: { phase: 'Failed', reason: 'Evicted' } } }, merge);
      await failing;
    } finally {
      await backend.close();
    }
  });
});
