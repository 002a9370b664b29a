/**
 * `GET /api/v1/namespaces/{ns}/pods/{pod}/log` through the real kube-apiserver, served by the test node
 * agent's kubelet log API: tail, since-window, timestamps, limitBytes, previous instance, follow, and the
 * API server's and kubelet's refusals.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { k8sSkip } from './cluster.js';
import { LogPods, restarted, running } from './log-pods.js';

const skip = k8sSkip();

describe('pod logs through the real API server and the node agent', { skip, timeout: 120_000 }, () => {
  const fx = new LogPods();
  const log = (pod: string, container: string, o: { tailLines?: number; sinceSeconds?: number; timestamps?: boolean; limitBytes?: number; previous?: boolean } = {}) =>
    fx.core.readNamespacedPodLog({ name: pod, namespace: fx.namespace, container, ...o });
  const status = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof ApiException ? `${e.code} ${String(e.body)}` : String(e)));

  before(async () => {
    await fx.start('logs');
    await fx.create('web', { app: 'web' }, [
      { name: 'app', script: [{ print: 'old {i}', times: 5 }, { sleepMs: 2500 }, { print: 'new {i}', times: 3 }, { print: 'warn: stderr line', stream: 'stderr' }] },
      { name: 'proxy', script: [{ print: 'proxy ready' }] },
    ]);
    await fx.create('crash', { app: 'crash' }, [{ name: 'app', script: [{ print: 'serving {i}', times: 3 }, { print: 'panic: boom\n\ngoroutine 1 [running]:', stream: 'stderr' }, { exit: 2 }] }]);
    await fx.create('once', { app: 'once' }, [{ name: 'app', script: [{ print: 'only line' }, { exit: 1 }] }], 'Never');
    await fx.waitPods(['web'], running);
    await fx.follow('web', 'app', /warn: stderr line\n/); // the script has printed everything (follow, no sleeps)
  });
  after(() => fx.close());

  test('the whole log, tailLines, both streams in order, every container', async () => {
    assert.equal(await log('web', 'app'), 'old 0\nold 1\nold 2\nold 3\nold 4\nnew 0\nnew 1\nnew 2\nwarn: stderr line\n');
    assert.equal(await log('web', 'app', { tailLines: 2 }), 'new 2\nwarn: stderr line\n');
    assert.equal(await log('web', 'proxy'), 'proxy ready\n');
  });

  test('sinceSeconds drops lines older than the window; tail first, then the window', async () => {
    assert.equal(await log('web', 'app', { sinceSeconds: 2 }), 'new 0\nnew 1\nnew 2\nwarn: stderr line\n');
    assert.equal(await log('web', 'app', { sinceSeconds: 2, tailLines: 6 }), 'new 0\nnew 1\nnew 2\nwarn: stderr line\n');
    assert.equal(await log('web', 'app', { sinceSeconds: 2, tailLines: 2 }), 'new 2\nwarn: stderr line\n');
  });

  test('timestamps are RFC 3339 with nanoseconds and ordered; limitBytes cuts the stream', async () => {
    const lines = (await log('web', 'app', { timestamps: true })).trimEnd().split('\n');
    const stamps = lines.map((l) => /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) /.exec(l)?.[1] ?? 'missing');
    assert.ok(stamps.every((s) => s !== 'missing'), lines.join('\n'));
    assert.deepEqual([...stamps].sort(), stamps);
    assert.ok(Date.parse(stamps.at(-1) ?? '') - Date.parse(stamps[0] ?? '') >= 2400, 'the sleep shows in the timestamps');
    assert.equal(await log('web', 'app', { limitBytes: 8 }), 'old 0\nol');
  });

  test('a crashed container: the current instance and the previous one (with the panic)', async () => {
    await fx.waitPods(['crash'], (p) => restarted(p, 1));
    assert.match(await log('crash', 'app', { previous: true }), /^serving 0\nserving 1\nserving 2\npanic: boom\n\ngoroutine 1 \[running\]:\n$/);
    assert.match(await log('crash', 'app'), /^serving 0\n/);
  });

  test('refusals: unknown container (API server 400), no previous instance (kubelet 400), unknown pod (404)', async () => {
    assert.match(String(await status(log('web', 'nope'))), /^400 .*container nope is not valid for pod web/);
    assert.match(String(await status(log('web', 'proxy', { previous: true }))), /^400 .*previous terminated container \\"proxy\\" in pod \\"web\\" not found/);
    assert.match(String(await status(log('ghost', 'app'))), /^404 /);
    assert.match(String(await status(log('web', 'app', { tailLines: -1 }))), /^422 /);
  });

  test('restartPolicy Never: the pod fails and its log stays readable', async () => {
    await fx.waitPods(['once'], (p) => p.status?.phase === 'Failed');
    assert.equal(await log('once', 'app'), 'only line\n');
  });
});
