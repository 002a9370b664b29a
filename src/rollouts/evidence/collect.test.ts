import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RolloutError } from '../errors.js';
import { MemoryKube } from '../kube/memory.js';
import { collectLogs } from './collect.js';
import { newInCanary } from './fold.js';

const target = { namespace: 'default', rollout: 'demo', stableSelector: 'rollouts-pod-template-hash=s1', canarySelector: 'rollouts-pod-template-hash=c1' };
const opts = { tailLines: 0, sinceSeconds: 0, limitBytes: 0, previousLogs: true };
const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

function cluster(): MemoryKube {
  const ok = (color: string) => lines(40, (i) => `2024/05/01 12:00:${String(i % 60).padStart(2, '0')} 200 - ${color} request=${1000 + i}`);
  return new MemoryKube([
    { name: 'demo-s1-aaaaa', labels: { 'rollouts-pod-template-hash': 's1' }, logs: { app: ok('blue'), sidecar: 'proxy ready\n' } },
    { name: 'demo-s1-bbbbb', labels: { 'rollouts-pod-template-hash': 's1' }, logs: { app: ok('blue') } },
    {
      name: 'demo-c1-ccccc',
      labels: { 'rollouts-pod-template-hash': 'c1' },
      logs: { app: ok('green') },
      previous: { app: 'panic: runtime error: index out of range [6] with length 6\n\ngoroutine 7 [running]:\nmain.getColor()\n\t/app/main.go:171 +0x1d\n' },
      restarts: { app: 2 },
    },
    { name: 'other', labels: { app: 'unrelated' }, logs: { app: 'ERROR not ours\n' } },
  ]);
}

test('every pod and every container of both sides is read, plus the previous instance of restarted ones', async () => {
  const kube = cluster();
  const out = await collectLogs(kube, target, opts);
  assert.deepEqual(out.pods.map((p) => `${p.side}:${p.name}:${p.containers.join('+')}`), ['stable:demo-s1-aaaaa:app+sidecar', 'stable:demo-s1-bbbbb:app', 'canary:demo-c1-ccccc:app']);
  const reads = kube.calls.filter((c) => c.op === 'log').map((c) => `${String(c.args[1])}/${String(c.args[2])}${(c.args[3] as { previous?: boolean }).previous ? ' prev' : ''}`);
  assert.deepEqual(reads.sort(), ['demo-c1-ccccc/app', 'demo-c1-ccccc/app prev', 'demo-s1-aaaaa/app', 'demo-s1-aaaaa/sidecar', 'demo-s1-bbbbb/app']);
  const canary = out.pods.find((p) => p.side === 'canary');
  assert.equal(canary?.panic, 1);
  assert.equal(canary?.restarts, 2);
  assert.equal(canary?.lines, 41); // 40 + the panic line; trace lines are not counted
});

test('repeated lines fold into templates with per-side counts; new canary templates are found', async () => {
  const out = await collectLogs(cluster(), target, opts);
  const blue = out.templates.find((t) => t.template === '<TS> 2xx - blue request=<N>');
  assert.deepEqual(blue?.count, { stable: 80, canary: 0 });
  assert.deepEqual(blue?.pods, { stable: 2, canary: 0 });
  const fresh = newInCanary(out.templates);
  assert.equal(fresh[0]?.kind, 'panic'); // errors first
  assert.ok(fresh.some((t) => t.template === '<TS> 2xx - green request=<N>'));
  assert.ok(!out.templates.some((t) => t.example.includes('not ours')));
});

test('tail limit, since-window and byte cap are passed to every read', async () => {
  const kube = cluster();
  const out = await collectLogs(kube, target, { tailLines: 5, sinceSeconds: 600, limitBytes: 4096, previousLogs: false });
  for (const call of kube.calls.filter((c) => c.op === 'log')) assert.deepEqual(call.args[3], { tailLines: 5, sinceSeconds: 600, limitBytes: 4096, previous: false });
  assert.equal(out.pods.find((p) => p.side === 'canary')?.lines, 5);
});

test('an unreadable container is noted, not fatal; no canary pods is SG_ROLLOUT_NO_PODS', async () => {
  const kube = cluster();
  kube.failing.add('demo-s1-aaaaa/sidecar');
  const out = await collectLogs(kube, target, opts);
  assert.deepEqual(out.pods[0]?.unreadable, ['sidecar: SG_ROLLOUT_KUBE_FAILED']);
  assert.match(out.notes.join(' '), /unreadable logs: demo-s1-aaaaa\/sidecar/);
  await assert.rejects(collectLogs(cluster(), { ...target, canarySelector: 'rollouts-pod-template-hash=zzz' }, opts), (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_NO_PODS');
});

test('secrets in logs never reach templates or examples', async () => {
  const kube = new MemoryKube([
    { name: 's', labels: { side: 's' }, logs: { app: 'login ok for bob@example.com token=abcd1234secret\n' } },
    { name: 'c', labels: { side: 'c' }, logs: { app: 'login ok for eve@example.com token=zzzz9999secret from 10.1.2.3\n' } },
  ]);
  const out = await collectLogs(kube, { ...target, stableSelector: 'side=s', canarySelector: 'side=c' }, opts);
  const text = JSON.stringify(out);
  for (const secret of ['bob@', 'eve@', 'abcd1234secret', 'zzzz9999secret', '10.1.2.3']) assert.ok(!text.includes(secret), secret);
  assert.equal(out.templates.length, 2); // "from [IP]" makes the canary line differ
});
