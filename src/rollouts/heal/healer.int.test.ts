/** The self-healing loop against a loopback fake of the GitHub REST API (and a fake LLM for the text). */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisResult } from '../analysis/analyzer.js';
import { decide } from '../judge/decide.js';
import { judgeStatistically } from '../judge/statistical.js';
import { judgementFromVerdict } from '../judge/llm.js';
import { OpenAiClient } from '../llm/openai.js';
import { evidence, pod, template } from '../testing/evidence.js';
import { FakeGitHub } from '../testing/fake-github.js';
import { FakeLlm } from '../testing/fake-llm.js';
import { OctokitTracker } from './github.js';
import { IssueHealer } from './healer.js';

let gh: FakeGitHub;
let llm: FakeLlm;
before(async () => {
  gh = await FakeGitHub.start();
  llm = await FakeLlm.start('openai', (p) => JSON.stringify({ title: 'Canary panics: index out of range in getColor', body: `## What happened\nThe canary crashed.\n## Suggested fix\nBound the colour index. Reported by ops@example.com\n\n${p.user.includes('Canary log excerpt') ? 'facts received' : 'no facts'}` }));
});
after(async () => {
  await gh.close();
  await llm.close();
});
beforeEach(() => {
  gh.issues.length = 0;
  gh.searchLags = false;
});

function rollback(causeTemplate: string, llmWording: string, rollout = 'shop'): AnalysisResult {
  const ev = evidence({ pods: [pod('stable', 's'), pod('canary', 'c', { panic: 4, restarts: 2 })], templates: [template('<TS> 2xx - blue', 'info', 500, 400), { ...template(causeTemplate, 'panic', 0, 4), example: `${causeTemplate.replace('<N>', '6')} token=s3cr3tvalue` }] });
  ev.target.rollout = rollout;
  const stat = judgeStatistically(ev);
  const decision = decide('combined', { promote: 0.75, rollback: 0.35 }, stat, judgementFromVerdict({ promote: false, confidence: 90, summary: 'crash', evidence: [], suspectedCause: llmWording }));
  return { target: ev.target, decision, startedAt: '2025-01-15T10:15:00.000Z', durationMs: 1200, evidence: ev };
}

function healer(o: { dryRun?: boolean; assignee?: string; llmUrl?: string; print?: (s: string) => void } = {}): IssueHealer {
  return new IssueHealer({
    tracker: new OctokitTracker({ token: gh.token, repo: `https://github.com/${gh.owner}/${gh.repo}`, baseUrl: gh.url }),
    llm: new OpenAiClient({ baseUrl: o.llmUrl ?? llm.url, model: 'writer', apiKey: llm.key }),
    labels: ['jules', 'rollback'],
    assignee: o.assignee ?? 'copilot-swe-agent',
    dryRun: o.dryRun ?? false,
    retry: { retries: 0, timeoutMs: 2000 },
    print: o.print ?? (() => undefined),
  });
}

test('a rollback opens one issue with the LLM-written text, labels, assignee, excerpt and fingerprint', async () => {
  const out = await healer().onRollback(rollback('panic: runtime error: index out of range [<N>]', 'Index out of range in getColor'));
  assert.equal(out.action, 'created');
  assert.equal(gh.issues.length, 1);
  const issue = gh.issues[0];
  assert.equal(issue?.title, 'Canary panics: index out of range in getColor');
  assert.deepEqual(issue?.labels, ['jules', 'rollback']);
  assert.deepEqual(issue?.assignees, ['copilot-swe-agent']);
  assert.match(issue?.body ?? '', /facts received/);
  assert.match(issue?.body ?? '', /panic: runtime error: index out of range \[6\] token=\[REDACTED\]/);
  assert.match(issue?.body ?? '', new RegExp(`<!-- sandgate-fingerprint: ${out.fingerprint} -->`));
  assert.doesNotMatch(issue?.body ?? '', /ops@example\.com|s3cr3tvalue/);
});

test('duplicate rollbacks for the same cause → one issue with comments, even across restarts and a lagging search index', async () => {
  const cause = 'panic: runtime error: index out of range [<N>]';
  const h = healer();
  const first = await h.onRollback(rollback(cause, 'Index out of range in getColor'));
  const concurrent = await Promise.all([h.onRollback(rollback(cause, 'colour index overflow')), h.onRollback(rollback(cause, 'array bounds bug'))]);
  gh.searchLags = true;
  const restarted = await healer().onRollback(rollback(cause, 'yet another wording'));
  assert.deepEqual([first.action, ...concurrent.map((c) => c.action), restarted.action], ['created', 'commented', 'commented', 'commented']);
  assert.equal(gh.issues.length, 1);
  assert.equal(gh.issues[0]?.comments.length, 3);
  assert.match(gh.issues[0]?.comments[0] ?? '', /^Rolled back again at/);
});

test('a different cause, another rollout or a closed issue opens a new issue', async () => {
  const h = healer();
  await h.onRollback(rollback('panic: A', 'a'));
  await h.onRollback(rollback('panic: B', 'b'));
  await h.onRollback(rollback('panic: A', 'a', 'checkout'));
  assert.equal(gh.issues.length, 3);
  for (const i of gh.issues) i.state = 'closed';
  assert.equal((await h.onRollback(rollback('panic: A', 'a'))).action, 'created');
  assert.equal(gh.issues.length, 4);
});

test('an assignee GitHub refuses does not lose the issue; an unreachable LLM falls back to the template text', async () => {
  const out = await healer({ assignee: 'nobody-here', llmUrl: 'http://127.0.0.1:9' }).onRollback(rollback('panic: C', 'c'));
  assert.equal(out.action, 'created');
  assert.deepEqual(gh.issues[0]?.assignees, []);
  assert.match(gh.issues[0]?.title ?? '', /^Canary of shop rolled back: crash in canary/);
  assert.match(gh.issues[0]?.body ?? '', /## Suggested fix/);
});

test('--dry-run prints the issue and never calls GitHub', async () => {
  const before = gh.requests.length;
  const printed: string[] = [];
  const out = await healer({ dryRun: true, print: (s) => printed.push(s) }).onRollback(rollback('panic: D', 'd'));
  assert.equal(out.action, 'dry-run');
  assert.equal(gh.requests.length, before);
  assert.match(printed.join('\n'), /title: Canary panics: index out of range in getColor[\s\S]*labels: jules, rollback[\s\S]*sandgate-fingerprint/);
});
