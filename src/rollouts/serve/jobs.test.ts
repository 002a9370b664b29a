import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AnalysisResult } from '../analysis/analyzer.js';
import { RolloutError } from '../errors.js';
import { AnalysisJobs } from './jobs.js';

function result(failed = false): AnalysisResult {
  const j = { judge: 'statistical' as const, score: 0.9, confidence: 90, promote: true, summary: '', evidence: [], suspectedCause: '', causeKey: '', ...(failed ? { failure: { code: 'SG_ROLLOUT_LLM_FAILED', message: 'x' } } : {}) };
  return { target: { namespace: 'n', rollout: 'r', stableSelector: 's', canarySelector: 'c' }, decision: { verdict: 'promote', score: 0.9, confidence: 90, summary: '', suspectedCause: '', causeKey: '', judgements: [j] }, startedAt: '', durationMs: 0 };
}

function setup(o: { failed?: boolean; max?: number } = {}) {
  let clock = 0;
  const releases: Array<() => void> = [];
  let runs = 0;
  const jobs = new AnalysisJobs({
    maxConcurrent: o.max ?? 2,
    resultTtlMs: 10_000,
    failedTtlMs: 1_000,
    now: () => clock,
    run: () => {
      runs++;
      return new Promise((resolve) => releases.push(() => resolve(result(o.failed))));
    },
  });
  return { jobs, releases, runs: () => runs, tick: (ms: number) => (clock += ms) };
}

test('one analysis per key; later calls find it running, then finished', async () => {
  const { jobs, releases, runs } = setup();
  const a = jobs.ensure('k', {});
  assert.equal(jobs.ensure('k', {}), a);
  assert.equal(await jobs.wait(a, 0), undefined);
  const settled = once(jobs, 'settled');
  releases[0]?.();
  assert.deepEqual((await settled)[0], 'k');
  assert.equal((await jobs.wait(a, 0))?.decision.verdict, 'promote');
  assert.equal(runs(), 1);
});

test('finished verdicts expire after resultTtl, failure-derived ones after failedTtl, or after the caller\'s maxAge', async () => {
  for (const [failed, ttl] of [[false, 10_000], [true, 1_000]] as const) {
    const { jobs, releases, runs, tick } = setup({ failed });
    const job = jobs.ensure('k', {});
    releases[0]?.();
    await job.done;
    tick(ttl - 1);
    jobs.ensure('k', {});
    assert.equal(runs(), 1);
    tick(1);
    jobs.ensure('k', {});
    assert.equal(runs(), 2);
  }
  const { jobs, releases, runs, tick } = setup();
  jobs.ensure('k', {});
  releases[0]?.();
  await jobs.get('k')?.done;
  tick(500);
  jobs.ensure('k', {}, 400);
  assert.equal(runs(), 2);
});

test('over maxConcurrent → SG_ROLLOUT_BUSY; sweep drops expired; close aborts running analyses', async () => {
  const { jobs, releases, tick } = setup({ max: 1 });
  const first = jobs.ensure('a', {});
  assert.throws(() => jobs.ensure('b', {}), (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_BUSY' && e.retryAfter === 5);
  releases[0]?.();
  await first.done;
  tick(20_000);
  jobs.sweep();
  assert.equal(jobs.get('a'), undefined);
  const running = jobs.ensure('c', {});
  jobs.close();
  assert.equal(running.controller.signal.aborted, true);
});

test('an analysis that throws still settles, as a fail-closed Inconclusive', async () => {
  const jobs = new AnalysisJobs({ maxConcurrent: 1, resultTtlMs: 1, failedTtlMs: 1, run: () => Promise.reject(new Error('boom')) });
  const r = await jobs.ensure('x', {}).done;
  assert.equal(r.decision.verdict, 'inconclusive');
  assert.match(r.decision.summary, /analysis failed \(SG_ROLLOUT_INTERNAL\): boom/);
});
