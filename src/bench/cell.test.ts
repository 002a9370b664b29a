/** Tests for cell.ts: warm-up runs discarded, concurrency slots, failures kept (never retried), setup failures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCell, type CellPlan, type Measured } from './cell.js';
import { SandgateError } from '../errors/errors.js';

const ok = (total: number): Measured => ({ ok: true, phases: { connect_ms: 1, newPage_ms: 2, goto_ms: total - 3, total_ms: total } });

function plan(over: Partial<CellPlan> = {}): CellPlan & { calls: string[] } {
  const calls: string[] = [];
  return {
    backend: 'fake', scenario: 'cold', concurrency: 2, calls,
    sample: async (slot, i) => {
      calls.push(`sample ${i}.${slot}`);
      return ok(10 + i);
    },
    afterRun: async (i) => void calls.push(`after ${i}`),
    ...over,
  };
}

test('warm-up runs are run but not recorded; each run has one sample per slot', async () => {
  const p = plan();
  const lines: string[] = [];
  const samples = await runCell(p, { runs: 3, warmup: 2, progress: (l) => lines.push(l) });
  assert.equal(samples.length, 6);
  assert.deepEqual(samples.map((s) => [s.run, s.client, s.phases.total_ms]), [[0, 0, 12], [0, 1, 12], [1, 0, 13], [1, 1, 13], [2, 0, 14], [2, 1, 14]]);
  assert.equal(p.calls.filter((c) => c.startsWith('sample')).length, 10);
  assert.equal(p.calls.filter((c) => c.startsWith('after')).length, 5);
  assert.match(lines[0] ?? '', /^\[fake cold c=2\] warm-up 1\/2 2\/2 ok/);
  assert.match(lines[4] ?? '', /^\[fake cold c=2\] run 3\/3 /);
});

test('a failed sample is recorded with its code and never retried', async () => {
  const p = plan({
    concurrency: 1,
    sample: async (_slot, i) => (i === 1 ? { ok: false, phases: { connect_ms: 5 }, error: 'SG_ENSURE_TIMEOUT', errorMessage: 'late' } : ok(20)),
  });
  const lines: string[] = [];
  const samples = await runCell(p, { runs: 3, warmup: 0, progress: (l) => lines.push(l) });
  assert.equal(samples.length, 3);
  assert.deepEqual(samples[1], { backend: 'fake', scenario: 'cold', concurrency: 1, run: 1, client: 0, ok: false, error: 'SG_ENSURE_TIMEOUT', errorMessage: 'late', retries: 0, phases: { connect_ms: 5 } });
  assert.match(lines[1] ?? '', /FAIL SG_ENSURE_TIMEOUT/);
});

test('a setup failure fails every measured sample with its code, and teardown still runs', async () => {
  let tornDown = false;
  const p = plan({
    setup: async () => {
      throw new SandgateError('SG_RUNTIME_FAILED', 'no chromium');
    },
    teardown: async () => void (tornDown = true),
  });
  const samples = await runCell(p, { runs: 2, warmup: 1, progress: () => undefined });
  assert.equal(samples.length, 4);
  assert.ok(samples.every((s) => !s.ok && s.error === 'SG_RUNTIME_FAILED' && s.errorMessage === 'setup: no chromium'));
  assert.equal(p.calls.length, 0);
  assert.ok(tornDown);
});

test('a prepare failure fails that run for every slot; an aborted signal stops before the next run', async () => {
  const controller = new AbortController();
  const p = plan({
    prepare: async (i) => {
      if (i === 0) throw new Error('boom');
      controller.abort();
    },
  });
  const samples = await runCell(p, { runs: 3, warmup: 0, progress: () => undefined, signal: controller.signal });
  assert.equal(samples.length, 4);
  assert.deepEqual(samples.slice(0, 2).map((s) => [s.ok, s.error, s.errorMessage]), [[false, 'CLIENT_ERROR', 'prepare: boom'], [false, 'CLIENT_ERROR', 'prepare: boom']]);
  assert.ok(samples.slice(2).every((s) => s.ok && s.run === 1));
});
