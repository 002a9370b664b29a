/**
 * `npm run bench:k8s`: `sandgate bench` against every Kubernetes-layer backend in this setup, one at a
 * time, each with its fixture running (real API server + controllers, or loopback fakes — the label
 * says which). Every backend's bench is the real CLI in its own process; the results are merged into
 * one table (stdout) and one JSON file.
 *   node dist/testing/k8s/bench/run.js [--backends a,b] [--runs N] [--warmup N] [--scenarios …] [--protocol playwright|cdp] [--json FILE]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { report } from '../../../bench/output.js';
import type { BenchResult } from '../../../bench/types.js';
import { BENCH_FIXTURES } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../../cli/main.js', import.meta.url));

export interface K8sBenchOptions {
  /** Fixture ids (BENCH_FIXTURES keys). */
  backends: string[];
  runs: number;
  warmup: number;
  scenarios: string;
  protocol?: 'playwright' | 'cdp';
  progress(line: string): void;
}

/** Runs the bench CLI for one backend with its fixture's settings; resolves with its result JSON. */
async function benchOne(id: string, opts: K8sBenchOptions, dir: string): Promise<BenchResult> {
  const entry = BENCH_FIXTURES[id];
  if (!entry) throw new Error(`no bench fixture ${id} (have: ${Object.keys(BENCH_FIXTURES).join(', ')})`);
  const { backend } = entry;
  const fixture = await entry.make();
  await fixture.start();
  try {
    const json = join(dir, `${id}.json`);
    const args = [CLI, 'bench', '--backends', backend, '--label', fixture.label, '--scenarios', opts.scenarios, '--runs', String(opts.runs), '--protocol', opts.protocol ?? 'playwright', '--warmup', String(opts.warmup), '--json', json, '--no-out'];
    opts.progress(`bench:k8s: ${fixture.label}`);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, ...fixture.settings() }, stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (c) => resolve(c ?? 1));
    });
    // 0: every cell passed, 1: some failed (both wrote the result); anything else wrote nothing.
    if (code !== 0 && code !== 1) throw new Error(`bench for ${backend} exited with ${code}`);
    return JSON.parse(await readFile(json, 'utf8')) as BenchResult;
  } finally {
    await fixture.close();
  }
}

/** One result with every backend's cells, in the order given. */
export function merge(results: BenchResult[]): BenchResult {
  const [first] = results;
  if (!first) throw new Error('no bench results to merge');
  return { ...first, cells: results.flatMap((r) => r.cells), samples: results.flatMap((r) => r.samples), durationMs: results.reduce((s, r) => s + (r.durationMs ?? 0), 0) };
}

export async function benchK8s(opts: K8sBenchOptions): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sandgate-bench-k8s-'));
  try {
    const results: BenchResult[] = [];
    for (const backend of opts.backends) results.push(await benchOne(backend, opts, dir));
    return merge(results);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backends: { type: 'string', default: Object.keys(BENCH_FIXTURES).join(',') },
      runs: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      scenarios: { type: 'string', default: 'cold,warm,restore' },
      protocol: { type: 'string', default: 'playwright' },
      json: { type: 'string' },
    },
  });
  const result = await benchK8s({
    backends: values.backends.split(',').filter(Boolean),
    runs: Number(values.runs),
    warmup: Number(values.warmup),
    scenarios: values.scenarios,
    protocol: values.protocol === 'cdp' ? 'cdp' : 'playwright',
    progress: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(report(result));
  if (values.json) await writeFile(values.json, JSON.stringify(result, null, 2) + '\n');
  process.exitCode = result.cells.some((c) => c.result === 'FAIL') ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Informers of closed fixtures may hold the loop a while: exit once the work is done.
  main().then(
    () => process.exit(),
    (err: unknown) => {
      process.stderr.write(`bench:k8s: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
