/**
 * Acceptance, end to end: the same crash rolled back twice (two revisions of the same bug, judged
 * through the Argo web provider) → one GitHub issue for the coding agent, then a comment on it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { generateCorpus } from '../eval/corpus.js';
import { runAnalysis, type WebMetric } from '../testing/argo-sim.js';
import { FakeGitHub } from '../testing/fake-github.js';
import { MemoryKube, type MemoryPod } from '../kube/memory.js';
import { idle, startService } from '../testing/service.js';
import type { RolloutsServer } from './server.js';

const metric = (parseYaml(readFileSync(new URL('../../../deploy/rollouts/argo/analysis-template.yaml', import.meta.url), 'utf8')) as { spec: { metrics: WebMetric[] } }).spec.metrics[0] as WebMetric;
const bad = generateCorpus().find((c) => c.id === 'panic-0');
assert.ok(bad);
// The second revision of the same bug: the same pods under another pod-template hash.
const rehash = (pods: MemoryPod[], from: string, to: string) => pods.filter((p) => p.labels['rollouts-pod-template-hash'] === from).map((p) => ({ ...p, name: p.name.replace(from, to), labels: { ...p.labels, 'rollouts-pod-template-hash': to } }));
const kube = new MemoryKube([...bad.pods, ...rehash(bad.pods, bad.hashes.canary, 'bbb222')]);
let gh: FakeGitHub;
let service: RolloutsServer;

before(async () => {
  gh = await FakeGitHub.start();
  service = await startService({ githubRepo: `${gh.owner}/${gh.repo}`, githubToken: gh.token, githubApiUrl: gh.url, issueAssignee: 'copilot-swe-agent' }, { kube }, { heal: true });
});
after(async () => {
  await service.close();
  await gh.close();
});

test('two rollbacks for the same crash → one issue labelled for the coding agent, then a comment', async () => {
  for (const canaryHash of [bad.hashes.canary, 'bbb222']) {
    const args = { namespace: 'default', rollout: 'rollouts-demo', 'stable-hash': bad.hashes.stable, 'canary-hash': canaryHash, 'judge-url': service.url, token: '' };
    const run = await runAnalysis(metric, args, () => idle(service.jobs));
    assert.equal(run.phase, 'Failed');
  }
  assert.equal(gh.issues.length, 1);
  const issue = gh.issues[0];
  assert.deepEqual(issue?.labels, ['jules']);
  assert.deepEqual(issue?.assignees, ['copilot-swe-agent']);
  assert.match(issue?.body ?? '', /panic: runtime error: index out of range/);
  assert.equal(issue?.comments.length, 1);
});
