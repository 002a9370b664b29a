/** `sandgate rollouts …` as a user runs it (analyze against a real API server: cli.k8s.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = new URL('../../cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sg-ro-cli-'));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'rollouts', ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('configuration errors: exit 2 with every problem and its key', async () => {
  const r = await run(['analyze', '--llm-provider', 'openai', '--promote-threshold', '2'], { SANDGATE_ROLLOUTS_SINCE: 'soon' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sandgate: SG_ROLLOUT_CONFIG_INVALID: invalid configuration/);
  for (const key of ['since', 'promoteThreshold', 'llmModel']) assert.match(r.stderr, new RegExp(`\\n  ${key}:`));
});

test('eval --json writes the report with the documented shape', async () => {
  const file = join(dir, 'eval.json');
  const r = await run(['eval', '--variants', '1', '--json', file]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(file, 'utf8')) as { judges: Record<string, { accuracy: number; precision: number; recall: number; falsePromotes: number; n: number }>; cases: unknown[] };
  assert.deepEqual(Object.keys(report.judges), ['statistical']);
  assert.equal(report.judges.statistical?.n, 6);
  assert.equal(report.cases.length, 6);
  assert.match(r.stdout, /\| statistical \| /);
});
