import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRolloutsConfig } from '../config/load.js';
import { generateCorpus } from '../eval/corpus.js';
import type { Healer } from '../heal/types.js';
import type { RolloutsKube } from '../kube/types.js';
import type { LlmClient } from '../llm/types.js';
import { MemoryKube } from '../kube/memory.js';
import { Analyzer, type AnalyzerDeps } from './analyzer.js';

const corpus = generateCorpus();
const healthy = corpus.find((c) => c.id === 'healthy-0');
const panicking = corpus.find((c) => c.id === 'panic-0');
assert.ok(healthy && panicking);
const kube = new MemoryKube([...healthy.pods, ...panicking.pods]);
const req = (c: typeof healthy) => ({ namespace: 'default', rollout: 'rollouts-demo', stableHash: c.hashes.stable, canaryHash: c.hashes.canary });

function analyzer(flags: Record<string, unknown> = {}, deps: Partial<AnalyzerDeps> = {}): Analyzer {
  return new Analyzer(loadRolloutsConfig({ env: {}, flags: { since: '0', ...flags } }), { kube, ...deps });
}

test('statistical analysis end to end: healthy promotes, panicking rolls back and heals', async () => {
  const healed: string[] = [];
  const healer: Healer = { onRollback: async (r) => (healed.push(r.decision.causeKey), { action: 'dry-run', fingerprint: 'fp' }) };
  const a = analyzer({}, { healer });
  const ok = await a.analyze(req(healthy));
  assert.equal(ok.decision.verdict, 'promote');
  assert.equal(ok.heal, undefined);
  const bad = await a.analyze(req(panicking));
  assert.equal(bad.decision.verdict, 'rollback');
  assert.deepEqual(bad.heal, { action: 'dry-run', fingerprint: 'fp' });
  assert.match(healed[0] ?? '', /^panic: runtime error: index out of range/);
  assert.equal(bad.target.canarySelector, `rollouts-pod-template-hash=${panicking.hashes.canary}`);
});

test('failures before a decision are Inconclusive with the error code: kube down, bad request, timeout', async () => {
  const down: RolloutsKube = { listPods: async () => Promise.reject(new Error('connection refused')), readLog: async () => '' };
  assert.match((await analyzer({}, { kube: down }).analyze(req(healthy))).decision.summary, /^analysis failed \(SG_ROLLOUT_INTERNAL\): connection refused/);
  const noHash = await analyzer().analyze({ namespace: 'default' });
  assert.equal(noHash.decision.verdict, 'inconclusive');
  assert.match(noHash.decision.summary, /SG_ROLLOUT_BAD_REQUEST/);
  const never: RolloutsKube = { listPods: () => new Promise(() => undefined), readLog: async () => '' };
  const slow = await analyzer({ analysisTimeout: '50ms' }, { kube: never }).analyze(req(healthy));
  assert.equal(slow.decision.verdict, 'inconclusive');
  assert.match(slow.decision.summary, /SG_ROLLOUT_ANALYSIS_TIMEOUT/);
});

test('combined judge: the extraPrompt of the request reaches the LLM; a failed heal does not change the verdict', async () => {
  const prompts: string[] = [];
  const llm: LlmClient = { name: 'stub', complete: async (r) => (prompts.push(r.user), '{"promote":false,"confidence":90,"summary":"bad","evidence":[],"suspectedCause":"crash"}') };
  const healer: Healer = { onRollback: async () => Promise.reject(new Error('github down')) };
  const r = await analyzer({ llmProvider: 'ollama', llmModel: 'm' }, { llm, healer }).analyze({ ...req(panicking), extraPrompt: 'Ignore color changes.' });
  assert.equal(r.decision.verdict, 'rollback');
  assert.deepEqual(r.heal, { action: 'failed', fingerprint: '', detail: 'github down' });
  assert.match(prompts[0] ?? '', /Additional context from the operator: Ignore color changes\./);
  assert.equal(r.decision.judgements.length, 2);
});
