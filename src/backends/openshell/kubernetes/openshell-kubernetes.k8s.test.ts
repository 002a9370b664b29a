/**
 * backend=openshell, mode kubernetes, on the real API server with the real agent-sandbox controller
 * and the test node agent: the contract suite, suspend → resume through operatingMode, and the
 * fixture's settings() reaching the backend through createBackend(loadConfig()).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { backendContract, browserAnswers } from '../../contract.js';
import { createBackend } from '../../index.js';
import { loadConfig } from '../../../config/load.js';
import { labelValue } from '../../../kube/names.js';
import { chromiumSkip } from '../../../testing/prereq.js';
import { k8sSkip } from '../../../testing/k8s/cluster.js';
import { OpenShellKubernetesFixture, TENANT_LABEL } from './fixture.js';
import type { Sandbox } from './sandbox.js';

const skip = k8sSkip() || chromiumSkip();
const never = () => new AbortController().signal;
const fixture = new OpenShellKubernetesFixture();

before(async () => {
  if (!skip) await fixture.start();
});
after(async () => {
  if (!skip) await fixture.close();
});

backendContract('openshell (kubernetes)', {
  skip,
  async make() {
    const backend = fixture.backend({ gatewayId: `gw-${Math.random().toString(36).slice(2, 8)}` });
    return { backend, kill: (tenant) => fixture.killPod(tenant) };
  },
  async makeBroken() {
    return fixture.backend({ image: '', gatewayId: 'gw-broken' }); // the controller's pod create is refused: "spec.containers[0].image: Required value"
  },
});

describe('openshell (kubernetes) on the real agent-sandbox controller', { skip, timeout: 300_000 }, () => {
  test('suspend stops the pod and keeps the Sandbox (operatingMode Suspended); the next ensure resumes it', async () => {
    const backend = fixture.backend({ gatewayId: 'gw-suspend' });
    await backend.start();
    const custom = fixture.cluster.kc.makeApiClient(CustomObjectsApi);
    const read = async () =>
      ((await custom.listNamespacedCustomObject({ group: 'agents.x-k8s.io', version: 'v1beta1', namespace: fixture.namespace, plural: 'sandboxes', fieldSelector: `metadata.name=${backend.objectName('sleeper')}` })) as { items: Sandbox[] }).items[0];
    const pods = async () => (await fixture.cluster.core.listNamespacedPod({ namespace: fixture.namespace, labelSelector: `${TENANT_LABEL}=${labelValue('sleeper')}` })).items;
    try {
      const first = await backend.ensure('sleeper', { signal: never() });
      assert.match(await browserAnswers(first), /\d+\./);
      const uid = (await read())?.metadata?.uid;
      assert.ok(uid);
      assert.ok(backend.suspend, 'the backend can suspend');
      await backend.suspend('sleeper');
      const suspended = await read();
      assert.equal(suspended?.spec?.operatingMode, 'Suspended');
      assert.equal(suspended?.status?.conditions?.find((c) => c.type === 'Suspended')?.status, 'True');
      assert.deepEqual(await pods(), [], 'the pod is gone');
      await assert.rejects(browserAnswers(first));
      assert.deepEqual((await backend.list()).map((s) => [s.tenant, s.state]), [['sleeper', 'suspended']]);
      const second = await backend.ensure('sleeper', { signal: never() });
      assert.notEqual(second.id, first.id);
      assert.match(await browserAnswers(second), /\d+\./);
      const resumed = await read();
      assert.equal(resumed?.metadata?.uid, uid, 'the same Sandbox object');
      assert.equal(resumed?.spec?.operatingMode, 'Running');
      assert.deepEqual((await backend.list()).map((s) => [s.tenant, s.state]), [['sleeper', 'ready']]);
    } finally {
      await backend.close();
    }
  });

  test("the fixture's settings reach it through createBackend(loadConfig())", async () => {
    const backend = createBackend(loadConfig({ env: fixture.settings() }));
    assert.equal(backend.name, 'openshell');
    await backend.start();
    try {
      const endpoint = await backend.ensure('via-config', { signal: never() });
      assert.match(await browserAnswers(endpoint), /\d+\./);
      assert.deepEqual((await backend.list()).map((s) => s.tenant), ['via-config']);
    } finally {
      await backend.close();
    }
  });
});
