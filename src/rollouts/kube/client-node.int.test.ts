/**
 * ClientNodeKube (the real @kubernetes/client-node 1.4) against a loopback fake of the kube-apiserver
 * pod and pod-log paths. The test through a real kube-apiserver and node agent is planned in
 * docs/rollouts.md ("Testing") for when the shared Kubernetes test setup lands.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { RolloutError } from '../errors.js';
import { collectLogs } from '../evidence/collect.js';
import type { FakeServer } from '../testing/fake-server.js';
import { startFakeApiserver } from '../testing/fake-apiserver.js';
import { ClientNodeKube } from './client-node.js';

const pods = [
  { name: 'web-s1-aaaaa', namespace: 'shop', labels: { app: 'web', 'rollouts-pod-template-hash': 's1' }, logs: { app: '200 - blue\n200 - blue\n', proxy: 'ready\n' } },
  { name: 'web-c1-bbbbb', namespace: 'shop', labels: { app: 'web', 'rollouts-pod-template-hash': 'c1' }, logs: { app: '200 - green\n' }, previous: { app: 'panic: boom\ngoroutine 1 [running]:\n' }, restarts: { app: 1 } },
];
let api: FakeServer;
let kube: ClientNodeKube;

before(async () => {
  api = await startFakeApiserver(pods, 'sa-token');
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }], users: [{ name: 'sa', token: 'sa-token' }], contexts: [{ name: 'fake', cluster: 'fake', user: 'sa' }], currentContext: 'fake' });
  kube = new ClientNodeKube(kc);
});
after(() => api.close());

test('lists pods by label selector with containers and restart counts', async () => {
  const listed = await kube.listPods('shop', 'app=web,rollouts-pod-template-hash=c1');
  assert.deepEqual(listed.map((p) => ({ name: p.name, containers: p.containers })), [{ name: 'web-c1-bbbbb', containers: [{ name: 'app', init: false, restartCount: 1 }] }]);
  assert.equal(api.requests.at(-1)?.query.get('labelSelector'), 'app=web,rollouts-pod-template-hash=c1');
});

test('reads logs with tailLines / sinceSeconds / limitBytes / previous on the wire; no previous instance is empty, not an error', async () => {
  assert.equal(await kube.readLog('shop', 'web-s1-aaaaa', 'app', { tailLines: 1, sinceSeconds: 900, limitBytes: 4096 }), '200 - blue\n');
  const q = api.requests.at(-1)?.query;
  assert.deepEqual([q?.get('container'), q?.get('tailLines'), q?.get('sinceSeconds'), q?.get('limitBytes')], ['app', '1', '900', '4096']);
  assert.match(await kube.readLog('shop', 'web-c1-bbbbb', 'app', { previous: true }), /^panic: boom/);
  assert.equal(await kube.readLog('shop', 'web-s1-aaaaa', 'app', { previous: true }), '');
  await assert.rejects(kube.readLog('shop', 'nope', 'app', {}), (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_KUBE_FAILED' && e.detail?.status === 404);
});

test('the collector through the real client: every pod and container, the crash from the previous instance', async () => {
  const out = await collectLogs(kube, { namespace: 'shop', rollout: 'web', stableSelector: 'rollouts-pod-template-hash=s1', canarySelector: 'rollouts-pod-template-hash=c1' }, { tailLines: 100, sinceSeconds: 0, limitBytes: 0, previousLogs: true });
  assert.deepEqual(out.pods.map((p) => [p.name, p.lines, p.panic]), [['web-s1-aaaaa', 3, 0], ['web-c1-bbbbb', 2, 1]]);
});

test('a wrong token is SG_ROLLOUT_KUBE_FAILED with the status', async () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }], users: [{ name: 'sa', token: 'wrong' }], contexts: [{ name: 'fake', cluster: 'fake', user: 'sa' }], currentContext: 'fake' });
  await assert.rejects(new ClientNodeKube(kc).listPods('shop', 'app=web'), (e: unknown) => e instanceof RolloutError && e.detail?.status === 401 && !e.retryable);
});
