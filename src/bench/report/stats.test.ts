/** Tests for stats.ts: numpy-compatible percentiles, summaries, and cell verdicts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCell, percentile, summarize } from './stats.js';
import type { Sample, StateCheck } from '../types.js';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);

function sample(run: number, over: Partial<Sample> = {}): Sample {
  return { backend: 'proc', scenario: 'cold', concurrency: 1, run, ok: true, retries: 0, phases: {}, ...over };
}

function restored(run: number, state: StateCheck): Sample {
  return sample(run, { scenario: 'restore', state, phases: { total_ms: 100 + run } });
}

test('percentile matches numpy linear on 1..10', () => {
  const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  close(percentile(v, 50), 5.5);
  close(percentile(v, 95), 9.55);
  close(percentile(v, 99), 9.91);
  close(percentile(v, 0), 1);
  close(percentile(v, 100), 10);
});

test('percentile of a single value is that value', () => {
  for (const p of [0, 50, 95, 99, 100]) close(percentile([7], p), 7);
});

test('percentile of two values interpolates between them', () => {
  close(percentile([10, 20], 50), 15);
  close(percentile([10, 20], 95), 19.5);
  close(percentile([10, 20], 99), 19.9);
});

test('percentile matches numpy on an uneven sample', () => {
  // numpy.percentile([3, 15, 26, 102, 250], [50, 95, 99]) -> [26., 220.4, 244.08]
  const v = [3, 15, 26, 102, 250];
  close(percentile(v, 50), 26);
  close(percentile(v, 95), 220.4);
  close(percentile(v, 99), 244.08);
});

test('percentile rejects an empty array and p out of range', () => {
  assert.throws(() => percentile([], 50), RangeError);
  assert.throws(() => percentile([1], 101), RangeError);
  assert.throws(() => percentile([1], Number.NaN), RangeError);
});

test('summarize sorts, then rounds every stat to 0.1', () => {
  assert.deepEqual(summarize([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]), {
    p50: 5.5, p95: 9.6, p99: 9.9, min: 1, max: 10, mean: 5.5,
  });
  assert.deepEqual(summarize([12.34]), { p50: 12.3, p95: 12.3, p99: 12.3, min: 12.3, max: 12.3, mean: 12.3 });
  assert.throws(() => summarize([]), RangeError);
});

test('buildCell: all runs failed', () => {
  const samples = [
    sample(0, { ok: false, error: 'SG_SPAWN_TIMEOUT' }),
    sample(1, { ok: false, error: 'SG_SPAWN_TIMEOUT' }),
    sample(2, { ok: false }),
  ];
  assert.deepEqual(buildCell(samples, { backend: 'proc', scenario: 'cold', concurrency: 1 }), {
    backend: 'proc', scenario: 'cold', concurrency: 1,
    n: 3, ok: 0, failed: 3,
    errors: { SG_SPAWN_TIMEOUT: 2, UNKNOWN: 1 },
    phases: {},
    result: 'FAIL', reason: 'all 3 runs failed',
  });
});

test('buildCell: no runs at all fails', () => {
  const cell = buildCell([], { backend: 'proc', scenario: 'warm', concurrency: 4 });
  assert.equal(cell.result, 'FAIL');
  assert.equal(cell.reason, 'no runs');
  assert.equal(cell.n, 0);
});

test('buildCell: declared state lost in some runs fails, undeclared loss does not', () => {
  const keep: StateCheck = { cookie: true, localStorage: true, memory: true, page: false };
  const drop: StateCheck = { cookie: true, localStorage: true, memory: false, page: false };
  const samples = [restored(0, keep), restored(1, drop), restored(2, drop), restored(3, keep), restored(4, drop)];
  const cell = buildCell(samples, {
    backend: 'docker', scenario: 'restore', concurrency: 1, declaredState: ['cookie', 'localStorage', 'memory'],
  });
  assert.equal(cell.result, 'FAIL');
  assert.equal(cell.reason, 'lost memory in 3/5 runs');
  assert.deepEqual(cell.state, { cookie: 1, localStorage: 1, memory: 0.4, page: 0 });
  assert.deepEqual(cell.phases.total_ms, { p50: 102, p95: 103.8, p99: 104, min: 100, max: 104, mean: 102 });
});

test('buildCell: several lost kinds are all named; a recreate label is kept', () => {
  const none: StateCheck = { cookie: false, localStorage: false, memory: false, page: false };
  const cell = buildCell([restored(0, none), restored(1, none)], {
    backend: 'proc', scenario: 'restore', concurrency: 1, label: 'restore=recreate', declaredState: ['page', 'cookie'],
  });
  assert.equal(cell.label, 'restore=recreate');
  assert.equal(cell.reason, 'lost cookie in 2/2 runs; lost page in 2/2 runs');
});

test('buildCell: mixed ok/failed uses ok samples only for phases and passes', () => {
  const samples = [
    sample(0, { phases: { connect_ms: 10, total_ms: 300 } }),
    sample(1, { phases: { connect_ms: 20, total_ms: 320 } }),
    sample(2, { ok: false, error: 'SG_NAV', phases: { connect_ms: 9999, total_ms: 9999 } }),
    sample(3, { phases: { connect_ms: 30, total_ms: 340 } }),
  ];
  const cell = buildCell(samples, { backend: 'proc', scenario: 'warm', concurrency: 2, label: 'x' });
  assert.deepEqual(cell, {
    backend: 'proc', scenario: 'warm', concurrency: 2, label: 'x',
    n: 4, ok: 3, failed: 1,
    errors: { SG_NAV: 1 },
    phases: {
      connect_ms: { p50: 20, p95: 29, p99: 29.8, min: 10, max: 30, mean: 20 },
      total_ms: { p50: 320, p95: 338, p99: 339.6, min: 300, max: 340, mean: 320 },
    },
    result: 'PASS',
  });
  assert.equal('state' in cell, false);
  assert.equal('reason' in cell, false);
});
