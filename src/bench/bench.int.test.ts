/** The bench end to end on loopback: a backend that cannot provision, a restore that loses state, a passing run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchOptions, type BenchOptions, type RawBenchOptions } from './options.js';
import { runBench } from './run.js';
import { report, writeOutputs } from './output.js';
import { PHASES } from './types.js';
import type { BenchResult } from './types.js';
import { CHROMIUM_PATH, chromiumSkip } from '../testing/prereq.js';

function options(raw: RawBenchOptions, over: Partial<BenchOptions> = {}): BenchOptions {
  return { ...parseBenchOptions({ runs: '2', warmup: '0', chromiumPath: CHROMIUM_PATH, poolSettle: '0', timeout: '30000', ...raw }, {}), ...over };
}

const quiet = { progress: () => undefined };

test('a backend that fails to provision yields FAIL cells with SG_RUNTIME_FAILED, not a crash', { timeout: 120_000 }, async () => {
  const lines: string[] = [];
  const result = await runBench(options({ chromiumPath: '/nonexistent', scenarios: 'cold,warm,restore,direct' }), { progress: (l) => lines.push(l) });
  assert.deepEqual(result.cells.map((c) => c.scenario), ['cold', 'warm', 'restore', 'direct']);
  for (const c of result.cells) {
    assert.equal(c.result, 'FAIL', `${c.scenario} should fail`);
    assert.equal(c.reason, 'all 2 runs failed');
    assert.deepEqual(c.errors, { SG_RUNTIME_FAILED: 2 }, `${c.scenario}: ${JSON.stringify(c.errors)}`);
    assert.deepEqual(c.phases, {});
  }
  assert.equal(result.samples.length, 8);
  assert.ok(result.samples.every((s) => !s.ok && s.retries === 0 && (s.errorMessage ?? '').length > 0));
  assert.equal(result.baseline.overheadRatio, undefined);
  assert.equal(result.machine.chromium, 'unknown');
  assert.ok(lines.some((l) => l.includes('FAIL SG_RUNTIME_FAILED')));
  assert.match(report(result), /\| local-process \| cold \| 1 \| FAIL: all 2 runs failed, 2 failed \|/);
});

test('a restore that loses declared state is reported as lost', { skip: chromiumSkip(), timeout: 120_000 }, async () => {
  const raw = { scenarios: 'restore', protocol: 'cdp', restoreMode: 'recreate' };
  const result = await runBench(options(raw, { declaredState: ['cookie', 'localStorage'] }), quiet);
  const [cell] = result.cells;
  assert.ok(cell);
  assert.equal(cell.label, 'restore=recreate');
  assert.equal(cell.ok, 2, JSON.stringify(result.samples));
  assert.deepEqual(cell.state, { cookie: 0, localStorage: 0, memory: 0, page: 0 });
  assert.equal(cell.result, 'FAIL');
  assert.equal(cell.reason, 'lost cookie in 2/2 runs; lost localStorage in 2/2 runs');
  assert.deepEqual(cell.declaredState, ['cookie', 'localStorage']);
});

test('restore=suspend over CDP keeps all four kinds of state, as local-process declares', { skip: chromiumSkip(), timeout: 120_000 }, async () => {
  const result = await runBench(options({ scenarios: 'restore', protocol: 'cdp' }), quiet);
  const [cell] = result.cells;
  assert.ok(cell);
  assert.equal(cell.label, 'restore=suspend');
  assert.deepEqual(cell.declaredState, ['cookie', 'localStorage', 'memory', 'page']);
  assert.deepEqual(cell.state, { cookie: 1, localStorage: 1, memory: 1, page: 1 }, JSON.stringify(result.samples));
  assert.equal(cell.result, 'PASS');
});

test('cold, warm and direct pass, with every phase, a Chromium version, an overhead ratio and the files', { skip: chromiumSkip(), timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sandgate-bench-'));
  try {
    const result = await runBench(options({ scenarios: 'cold,warm,direct' }), quiet);
    assert.deepEqual(result.cells.map((c) => [c.scenario, c.result]), [['cold', 'PASS'], ['warm', 'PASS'], ['direct', 'PASS']]);
    for (const s of result.samples) assert.deepEqual(Object.keys(s.phases).sort(), [...PHASES].sort());
    assert.match(result.machine.chromium, /^\d+\./);
    assert.ok((result.baseline.overheadRatio ?? 0) > 0);
    assert.equal(result.baseline.backend, 'local-process');
    const written = await writeOutputs(result, { outDir: dir, json: join(dir, 'extra.json'), png: false, chromiumPath: CHROMIUM_PATH, warn: () => undefined });
    assert.deepEqual(written, [join(dir, 'extra.json'), join(dir, 'result.json'), join(dir, 'chart.svg')]);
    const back = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as BenchResult;
    assert.equal(back.samples.length, 6);
    assert.ok((await stat(join(dir, 'chart.svg'))).size > 1000);
    assert.match(report(result), /Gateway overhead vs direct: \d+\.\d\d×/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
