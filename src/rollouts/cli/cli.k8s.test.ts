/** `sandgate rollouts analyze` as a user runs it: the real binary, KUBECONFIG pointing at the test control plane. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ADMIN_KUBECONFIG, k8sSkip } from '../../testing/k8s/cluster.js';
import { LogPods } from '../../testing/k8s/log-pods.js';
import { demoPods } from '../testing/demo-pods.js';

const MAIN = new URL('../../cli/main.js', import.meta.url).pathname;
const skip = k8sSkip();
const HASH = { stable: '6d4f7c9b8', panicking: '7a8b9c0d1', healthy: '5c6d7e8f9' };

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'rollouts', ...args], { env: { PATH: process.env.PATH ?? '', KUBECONFIG: ADMIN_KUBECONFIG } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('rollouts analyze against the real API server', { skip, timeout: 180_000 }, () => {
  const fx = new LogPods();
  const target = (canary: string) => ['--namespace', fx.namespace, '--rollout', 'rollouts-demo', '--stable-hash', HASH.stable, '--canary-hash', canary];

  before(async () => {
    await fx.start('ro-cli');
    await demoPods(fx, { healthy: [HASH.stable, HASH.healthy], panicking: [HASH.panicking] });
  });
  after(() => fx.close());

  test('analyze: exit 0 and a promote verdict for a healthy canary (JSON)', async () => {
    const r = await run(['analyze', ...target(HASH.healthy), '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { verdict: string }).verdict, 'promote');
  });

  test('analyze --dry-run: exit 1 on a panicking canary and the issue is printed, not sent', async () => {
    const r = await run(['analyze', ...target(HASH.panicking), '--github-repo', 'acme/shop', '--dry-run']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^ROLLBACK {2}score/m);
    assert.match(r.stdout, /--- rollback issue \(dry run: GitHub not called\) ---[\s\S]*labels: jules/);
    assert.match(r.stdout, /issue: dry-run/);
  });
});
