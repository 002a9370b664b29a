/** The Flagger webhook as Flagger calls it: POST {name, namespace, phase, checksum, metadata}; 200–202 advance. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCorpus } from '../eval/corpus.js';
import type { RolloutsKube } from '../kube/types.js';
import { MemoryKube, type MemoryPod } from '../kube/memory.js';
import { startService } from '../testing/service.js';
import type { RolloutsServer } from './server.js';

const corpus = generateCorpus();
const relabel = (pods: MemoryPod[], name: string, ns: string) =>
  pods.map((p) => ({ ...p, namespace: ns, labels: { app: p.labels['rollouts-pod-template-hash']?.startsWith('5d') ? `${name}-primary` : name } }));
const pods = new MemoryKube([
  ...relabel(corpus.find((c) => c.id === 'healthy-1')?.pods ?? [], 'web', 'shop'),
  ...relabel(corpus.find((c) => c.id === 'panic-1')?.pods ?? [], 'api', 'shop'),
  ...relabel((corpus.find((c) => c.id === 'healthy-2')?.pods ?? []).filter((p) => !p.labels['rollouts-pod-template-hash']?.startsWith('5d')), 'lonely', 'shop'),
]);
const servers: RolloutsServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function service(fastWait = '5s', kube: RolloutsKube = pods): Promise<RolloutsServer> {
  const s = await startService({ authToken: 'flagger-token', fastWait }, { kube });
  servers.push(s);
  return s;
}

async function hook(s: RolloutsServer, name: string, mode: string, metadata: Record<string, string> = { token: 'flagger-token' }): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.url}/flagger/v1/gate?mode=${mode}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, namespace: 'shop', phase: 'Progressing', checksum: 'abc123', metadata }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('promotion gate: 200 for a healthy canary, 412 for a panicking one', async () => {
  const s = await service();
  const ok = await hook(s, 'web', 'promotion');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.verdict, 'promote');
  const bad = await hook(s, 'api', 'promotion');
  assert.equal(bad.status, 412);
  assert.equal(bad.body.verdict, 'rollback');
  assert.match(String(bad.body.suspectedCause), /crash in canary/);
});

test('rollback-only check: fails only on rollback; Inconclusive passes the check but not the promotion gate', async () => {
  const s = await service();
  assert.equal((await hook(s, 'api', 'rollback-only')).status, 412);
  assert.equal((await hook(s, 'web', 'rollback-only')).status, 200);
  const lonely = await hook(s, 'lonely', 'rollback-only'); // no primary pods: nothing to compare with
  assert.equal(lonely.status, 200);
  assert.equal(lonely.body.verdict, 'inconclusive');
  assert.equal((await hook(s, 'lonely', 'promotion')).status, 409);
});

test('while the analysis runs: the promotion gate answers 425 (paused), the rollback check 200', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const s = await service('0', { listPods: (ns, sel) => pods.listPods(ns, sel), readLog: async (...a) => (await gate, pods.readLog(...a)) });
  const pending = await hook(s, 'web', 'promotion');
  assert.equal(pending.status, 425);
  assert.equal(pending.body.ready, false);
  assert.equal((await hook(s, 'web', 'rollback-only')).status, 200);
  release();
});

test('no token, a bad payload or an unknown mode are refused with typed errors', async () => {
  const s = await service();
  const noToken = await hook(s, 'web', 'promotion', {});
  assert.equal(noToken.status, 401);
  assert.deepEqual(noToken.body, { error: { code: 'SG_ROLLOUT_UNAUTHORIZED', message: 'missing or wrong bearer token' } });
  const res = await fetch(`${s.url}/flagger/v1/gate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer flagger-token' }, body: '{"namespace": 3}' });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('x-sandgate-error'), 'SG_ROLLOUT_BAD_REQUEST');
  assert.equal((await hook(s, 'web', 'sometimes')).status, 400);
});
