/** PNG export of the bench chart through real Chromium. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSvg, svgToPngWithChromium } from './chart.js';
import { CHROMIUM_PATH, chromiumSkip } from '../../testing/prereq.js';
import type { BenchResult } from '../types.js';

const stats = { p50: 300, p95: 330, p99: 340, min: 290, max: 350, mean: 305 };
const single: BenchResult = {
  schemaVersion: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  machine: { cpus: 2, memGiB: 24, node: 'v20', chromium: '156' },
  config: { runs: 3, warmup: 1, concurrency: [1], protocol: 'playwright', target: 'http://127.0.0.1/' },
  cells: [{ backend: 'local-process', scenario: 'cold', concurrency: 1, n: 3, ok: 3, failed: 0, errors: {}, phases: { total_ms: stats }, result: 'PASS' }],
  baseline: {},
  samples: [],
};

test('svgToPngWithChromium writes a PNG', { skip: chromiumSkip(), timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sandgate-chart-'));
  try {
    const out = join(dir, 'chart.png');
    await svgToPngWithChromium(await renderSvg(single), out, CHROMIUM_PATH);
    const bytes = await readFile(out);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.length > 1000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
