/** Tests for result.ts: cells from records (lost declared state fails), the baseline and overhead ratio. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeBaseline, toCell, type CellRecord } from './result.js';
import type { Cell, Sample, Scenario, Stats } from './types.js';

const st = (p50: number): Stats => ({ p50, p95: p50, p99: p50, min: p50, max: p50, mean: p50 });
const cell = (backend: string, scenario: Scenario, concurrency: number, p50?: number): Cell => ({
  backend, scenario, concurrency, n: 5, ok: 5, failed: 0, errors: {}, phases: p50 === undefined ? {} : { total_ms: st(p50) }, result: 'PASS',
});

function restoreSample(run: number): Sample {
  return {
    backend: 'local-process', scenario: 'restore', concurrency: 1, run, client: 0, ok: true, retries: 0,
    phases: { total_ms: 900 + run }, state: { cookie: false, localStorage: false, memory: false, page: false },
  };
}

test('a restore that loses declared state is reported as lost: fractions 0 and FAIL', () => {
  const rec: CellRecord = {
    meta: { backend: 'local-process', scenario: 'restore', concurrency: 1, label: 'restore=recreate' },
    declaredState: ['cookie', 'localStorage'],
    samples: [restoreSample(0), restoreSample(1)],
  };
  const c = toCell(rec);
  assert.deepEqual(c.state, { cookie: 0, localStorage: 0, memory: 0, page: 0 });
  assert.equal(c.result, 'FAIL');
  assert.equal(c.reason, 'lost cookie in 2/2 runs; lost localStorage in 2/2 runs');
  assert.deepEqual(c.declaredState, ['cookie', 'localStorage']);
  assert.equal(c.label, 'restore=recreate');
});

test('the same lost state passes when the backend declares nothing', () => {
  const c = toCell({ meta: { backend: 'p', scenario: 'restore', concurrency: 1 }, declaredState: [], samples: [restoreSample(0)] });
  assert.equal(c.result, 'PASS');
  assert.deepEqual(c.state, { cookie: 0, localStorage: 0, memory: 0, page: 0 });
});

test('a reason override fails a cell without samples', () => {
  const c = toCell({ meta: { backend: 'p', scenario: 'pooled', concurrency: 1 }, samples: [], reason: 'backend has no warm pool' });
  assert.equal(c.result, 'FAIL');
  assert.equal(c.reason, 'backend has no warm pool');
  assert.equal(c.n, 0);
});

test('overheadRatio = warm p50 / direct p50 at the lowest common level, first backend named', () => {
  const b = computeBaseline([cell('a', 'cold', 1, 900), cell('a', 'warm', 4, 660), cell('b', 'warm', 4, 440), cell('a', 'warm', 1, 330), cell('direct', 'direct', 4, 400), cell('direct', 'direct', 16, 800)]);
  assert.deepEqual(b.direct, { total_ms: st(400) });
  assert.equal(b.concurrency, 4);
  assert.equal(b.overheadRatio, 1.65);
  assert.equal(b.backend, 'a');
  assert.deepEqual(b.overheadByBackend, { a: 1.65, b: 1.1 });
  assert.match(b.definition ?? '', /warm total_ms p50 \/ direct total_ms p50/);
});

test('no direct cell → no ratio; direct without a warm cell → baseline only', () => {
  assert.equal(computeBaseline([cell('a', 'warm', 1, 300)]).overheadRatio, undefined);
  const b = computeBaseline([cell('direct', 'direct', 1, 250), cell('a', 'warm', 1)]);
  assert.deepEqual(b.direct, { total_ms: st(250) });
  assert.equal(b.overheadRatio, undefined);
});
