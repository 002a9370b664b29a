import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evidence, metric, pod, template } from '../testing/evidence.js';
import { decide } from './decide.js';
import { judgeStatistically } from './statistical.js';

const t = { promote: 0.75, rollback: 0.35 };
const verdict = (ev: Parameters<typeof judgeStatistically>[0]) => decide('statistical', t, judgeStatistically(ev)).verdict;
const status = (ev: Parameters<typeof judgeStatistically>[0], check: string) => judgeStatistically(ev).findings?.find((f) => f.check === check)?.status;

test('equal sides promote with high confidence', () => {
  const j = judgeStatistically(evidence());
  assert.equal(verdict(evidence()), 'promote');
  assert.ok(j.confidence >= 90, String(j.confidence));
  assert.deepEqual(j.findings?.filter((f) => f.status === 'fail'), []);
});

test('canary panics are a critical failure that names the crash as cause', () => {
  const ev = evidence({
    pods: [pod('stable', 's-1'), pod('canary', 'c-1', { panic: 2, restarts: 2 })],
    templates: [template('<TS> 2xx - blue', 'info', 500, 500), template('panic: runtime error: index out of range [<N>]', 'panic', 0, 2)],
  });
  const j = judgeStatistically(ev);
  assert.equal(j.score < 0.05, true, String(j.score));
  assert.equal(verdict(ev), 'rollback');
  assert.equal(j.causeKey, 'panic: runtime error: index out of range [<N>]');
  assert.match(j.suspectedCause, /crash in canary/);
  assert.equal(status(ev, 'restarts'), 'fail');
});

test('panics at the same rate on both sides only warn', () => {
  const ev = evidence({ pods: [pod('stable', 's-1', { panic: 3 }), pod('canary', 'c-1', { panic: 3 })] });
  assert.equal(status(ev, 'panics'), 'warn');
});

test('an error-rate rise fails; the same noise on both sides passes', () => {
  assert.equal(status(evidence({ pods: [pod('stable', 's', { error: 5 }), pod('canary', 'c', { error: 50 })] }), 'errorRate'), 'fail');
  assert.equal(verdict(evidence({ pods: [pod('stable', 's', { error: 5 }), pod('canary', 'c', { error: 50 })] })), 'rollback');
  assert.equal(status(evidence({ pods: [pod('stable', 's', { error: 20, warn: 40 }), pod('canary', 'c', { error: 21, warn: 35 })] }), 'errorRate'), 'pass');
});

test('a repeated error template absent from stable fails; scattered singletons do not', () => {
  const repeated = evidence({ templates: [template('db: deadlock detected', 'error', 0, 25)] });
  assert.equal(status(repeated, 'newErrorTemplates'), 'fail');
  const scattered = evidence({ templates: ['a', 'b', 'c', 'd'].map((x) => template(`rare ${x}`, 'error', 0, 1)) });
  assert.equal(status(scattered, 'newErrorTemplates'), 'warn');
});

test('Mann-Whitney per metric: a latency regression fails, a critical metric decides alone, noise passes', () => {
  const base = [40, 42, 39, 41, 43, 40, 38, 41, 42, 40];
  const slow = base.map((x) => x * 2);
  assert.equal(status(evidence({ metrics: [metric('latency', base, slow)] }), 'metric:latency'), 'fail');
  assert.equal(verdict(evidence({ metrics: [metric('latency', base, slow)] })), 'rollback');
  const critical = judgeStatistically(evidence({ metrics: [metric('errorRate', base, slow, { critical: true })] }));
  assert.equal(critical.score < 0.05, true);
  assert.equal(status(evidence({ metrics: [metric('latency', base, [...base].reverse())] }), 'metric:latency'), 'pass');
  assert.equal(status(evidence({ metrics: [metric('throughput', base, base.map((x) => x / 2), { worse: 'lower' })] }), 'metric:throughput'), 'fail');
  assert.equal(status(evidence({ metrics: [metric('latency', [1], [2], { error: 'SG_ROLLOUT_METRICS_FAILED: down' })] }), 'metric:latency'), 'nodata');
});

test('thin evidence lowers confidence: no stable pods or few lines is not a promotion', () => {
  assert.equal(verdict(evidence({ pods: [pod('canary', 'c', { lines: 500 })] })), 'inconclusive');
  const few = judgeStatistically(evidence({ pods: [pod('stable', 's', { lines: 10 }), pod('canary', 'c', { lines: 8 })] }));
  assert.ok(few.confidence < 50, String(few.confidence));
  assert.notEqual(decide('statistical', t, few).verdict, 'promote');
});
