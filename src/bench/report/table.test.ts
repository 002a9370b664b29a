/** Tests for table.ts: exact markdown output for a small set of cells, and the overhead line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResult, markdownTable, overheadLine } from './table.js';
import type { BenchResult, Cell, Stats } from '../types.js';

const st = (p50: number, p95: number): Stats => ({ p50, p95, p99: p95, min: p50, max: p95, mean: p50 });

const cold: Cell = {
  backend: 'docker', scenario: 'cold', concurrency: 1, n: 5, ok: 4, failed: 1,
  errors: { SG_SPAWN_TIMEOUT: 1 },
  phases: { connect_ms: st(210, 230.5), newPage_ms: st(40, 44.2), goto_ms: st(62.4, 70), total_ms: st(312.4, 340.1) },
  result: 'PASS',
};
const restore: Cell = {
  backend: 'proc', scenario: 'restore', concurrency: 1, label: 'restore=recreate', n: 2, ok: 2, failed: 0,
  errors: {}, phases: { total_ms: st(500, 520) },
  state: { cookie: 1, localStorage: 1, memory: 0, page: 0 },
  result: 'PASS',
};
const failed: Cell = {
  backend: 'proc', scenario: 'warm', concurrency: 4, n: 3, ok: 0, failed: 3,
  errors: { SG_X: 3 }, phases: {}, result: 'FAIL', reason: 'all 3 runs failed',
};

test('markdownTable renders the exact expected table', () => {
  const expected = [
    '| backend | scenario | conc | result | connect_ms | newPage_ms | goto_ms | total_ms | state |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |',
    '| docker | cold | 1 | PASS, 1 failed | 210.0 (p95 230.5) | 40.0 (p95 44.2) | 62.4 (p95 70.0) | 312.4 (p95 340.1) | – |',
    '| proc | restore | 1 | PASS (recreate) | – | – | – | 500.0 (p95 520.0) | cookie 100% · localStorage 100% · memory 0% · page 0% |',
    '| proc | warm | 4 | FAIL: all 3 runs failed, 3 failed | – | – | – | – | – |',
    '',
  ].join('\n');
  assert.equal(markdownTable([cold, restore, failed]), expected);
});

test('markdownTable omits the state column when no cell has state, and escapes pipes', () => {
  const odd: Cell = { ...failed, reason: 'lost a|b' };
  assert.equal(
    markdownTable([odd]),
    '| backend | scenario | conc | result | connect_ms | newPage_ms | goto_ms | total_ms |\n' +
      '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |\n' +
      '| proc | warm | 4 | FAIL: lost a\\|b, 3 failed | – | – | – | – |\n',
  );
});

test('formatResult keeps the label tag on a FAIL', () => {
  assert.equal(
    formatResult({ ...restore, result: 'FAIL', reason: 'lost memory in 3/5 runs' }),
    'FAIL (recreate): lost memory in 3/5 runs',
  );
});

function result(baseline: BenchResult['baseline']): BenchResult {
  return {
    schemaVersion: 1, startedAt: '2025-01-01T00:00:00.000Z',
    machine: { cpus: 4, memGiB: 8, node: 'v20.19.0', chromium: '140.0' },
    config: { runs: 5, warmup: 1, concurrency: [1], protocol: 'playwright', target: 'http://127.0.0.1:1/' },
    cells: [], baseline, samples: [],
  };
}

test('overheadLine with, without, and with a partial baseline', () => {
  assert.equal(
    overheadLine(result({ direct: { total_ms: st(250, 270) }, overheadRatio: 1.184 })),
    'Gateway overhead vs direct: 1.18× total_ms p50 (+18%) (direct total_ms p50 250.0 ms, p95 270.0 ms).',
  );
  assert.equal(overheadLine(result({})), 'Gateway overhead vs direct: not measured (no direct baseline).');
  assert.equal(
    overheadLine(result({ direct: { total_ms: st(250, 270) } })),
    'Gateway overhead vs direct: not computed (direct total_ms p50 250.0 ms, p95 270.0 ms).',
  );
  assert.equal(overheadLine(result({ overheadRatio: 0.95 })), 'Gateway overhead vs direct: 0.95× total_ms p50 (−5%).');
});
