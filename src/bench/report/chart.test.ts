/** Tests for chart.ts: spec shape, headless SVG rendering, and the PNG export through real Chromium. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartSpec, renderSvg } from './chart.js';
import type { BenchResult, Cell, Scenario, Stats } from '../types.js';

const st = (p50: number, p95: number): Stats => ({ p50, p95, p99: p95, min: p50, max: p95, mean: p50 });

function cell(backend: string, scenario: Scenario, concurrency: number, p50: number): Cell {
  return {
    backend, scenario, concurrency, n: 3, ok: 3, failed: 0, errors: {},
    phases: { total_ms: st(p50, p50 * 1.1) }, result: 'PASS',
  };
}

function result(cells: Cell[]): BenchResult {
  return {
    schemaVersion: 1, startedAt: '2025-01-01T00:00:00.000Z',
    machine: { cpus: 4, memGiB: 8, node: 'v20.19.0', chromium: '140.0' },
    config: { runs: 3, warmup: 1, concurrency: [...new Set(cells.map((c) => c.concurrency))], protocol: 'playwright', target: 'http://127.0.0.1:1/' },
    cells, baseline: {}, samples: [],
  };
}

const single = result([
  cell('docker', 'cold', 1, 900), cell('procbox', 'cold', 1, 310),
  cell('docker', 'warm', 1, 120), cell('procbox', 'warm', 1, 95),
  { ...cell('procbox', 'restore', 1, 0), phases: {}, ok: 0, failed: 3, result: 'FAIL', reason: 'all 3 runs failed' },
]);

test('chartSpec: one concurrency level gives a layered chart of the cells that measured total_ms', () => {
  const spec = chartSpec(single);
  assert.ok('layer' in spec && !('facet' in spec));
  const data = 'data' in spec ? spec.data : undefined;
  assert.ok(data !== undefined && data !== null && 'values' in data && Array.isArray(data.values));
  assert.equal(data.values.length, 4);
});

test('chartSpec: several concurrency levels facet by concurrency', () => {
  const spec = chartSpec(result([cell('docker', 'pooled', 1, 50), cell('docker', 'pooled', 8, 80)]));
  assert.ok('facet' in spec);
  assert.deepEqual(spec.facet, { column: { field: 'concurrency', type: 'ordinal', title: 'concurrency' } });
});

test('renderSvg renders headlessly to an SVG naming the backends', async () => {
  const svg = await renderSvg(single);
  assert.ok(svg.startsWith('<svg'), svg.slice(0, 80));
  assert.ok(svg.includes('docker'));
  assert.ok(svg.includes('procbox'));
});

test('renderSvg copes with faceted and empty results', async () => {
  const faceted = await renderSvg(result([cell('a', 'cold', 1, 10), cell('b', 'cold', 4, 20)]));
  assert.ok(faceted.startsWith('<svg'));
  const empty = await renderSvg(result([]));
  assert.ok(empty.startsWith('<svg'));
});
