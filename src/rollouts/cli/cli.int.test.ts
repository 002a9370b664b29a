/** `sandgate rollouts …` as a user runs it: the real binary, a kubeconfig pointing at a fake apiserver. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '../eval/corpus.js';
import { startFakeApiserver } from '../testing/fake-apiserver.js';
import type { FakeServer } from '../testing/fake-server.js';

const MAIN = new URL('../../cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sg-ro-cli-'));
const corpus = generateCorpus();
const healthy = corpus.find((c) => c.id === 'healthy-0');
const bad = corpus.find((c) => c.id === 'panic-0');
assert.ok(healthy && bad);
let api: FakeServer;

before(async () => {
  api = await startFakeApiserver([...healthy.pods, ...bad.pods], 'cli-token');
  writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "${api.url}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: cli-token}}]\ncontexts: [{name: fake, context: {cluster: fake, user: u}}]\ncurrent-context: fake\n`);
});
after(() => api.close());

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'rollouts', ...args], { env: { PATH: process.env.PATH ?? '', KUBECONFIG: join(dir, 'kubeconfig'), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const target = (c: typeof healthy) => ['--rollout', 'rollouts-demo', '--stable-hash', c.hashes.stable, '--canary-hash', c.hashes.canary, '--since', '0'];

test('analyze: exit 0 and a promote verdict for a healthy canary (JSON)', async () => {
  const r = await run(['analyze', ...target(healthy), '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { verdict: string }).verdict, 'promote');
});

test('analyze --dry-run: exit 1 on a panicking canary and the issue is printed, not sent', async () => {
  const r = await run(['analyze', ...target(bad), '--github-repo', 'acme/shop', '--dry-run']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^ROLLBACK {2}score/m);
  assert.match(r.stdout, /--- rollback issue \(dry run: GitHub not called\) ---[\s\S]*labels: jules/);
  assert.match(r.stdout, /issue: dry-run/);
});

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
