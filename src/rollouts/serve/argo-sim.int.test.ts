/**
 * Acceptance: a simulated AnalysisRun (measurements as Argo Rollouts makes them, with the shipped
 * AnalysisTemplate) reaches Successful for a healthy canary, Failed for a panicking one, and
 * Inconclusive when the LLM is unreachable.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { generateCorpus } from '../eval/corpus.js';
import type { RolloutsKube } from '../kube/types.js';
import { runAnalysis, type WebMetric } from '../testing/argo-sim.js';
import { FakeLlm } from '../testing/fake-llm.js';
import { heuristicBrain } from '../testing/heuristic-brain.js';
import { MemoryKube } from '../kube/memory.js';
import { idle, startService } from '../testing/service.js';
import type { RolloutsServer } from './server.js';

const templateYaml = parseYaml(readFileSync(new URL('../../../deploy/rollouts/argo/analysis-template.yaml', import.meta.url), 'utf8')) as { spec: { metrics: WebMetric[] } };
const metric = templateYaml.spec.metrics[0] as WebMetric;
const corpus = generateCorpus();
const healthy = corpus.find((c) => c.id === 'healthy-0');
const panicking = corpus.find((c) => c.id === 'panic-0');
assert.ok(healthy && panicking);
const pods = new MemoryKube([...healthy.pods, ...panicking.pods]);
const servers: RolloutsServer[] = [];
let llm: FakeLlm;

before(async () => (llm = await FakeLlm.start('openai', heuristicBrain)));
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await llm.close();
});

async function service(o: { llmUrl?: string; fastWait?: string; kube?: RolloutsKube } = {}): Promise<RolloutsServer> {
  const s = await startService({ authToken: 'argo-token', llmProvider: 'openai', llmModel: 'judge', llmBaseUrl: o.llmUrl ?? llm.url, llmApiKey: llm.key, llmRetries: 1, llmTimeout: '2s', fastWait: o.fastWait ?? '5s' }, { kube: o.kube ?? pods });
  servers.push(s);
  return s;
}

const args = (s: RolloutsServer, c: typeof healthy) => ({ namespace: 'default', rollout: 'rollouts-demo', 'stable-hash': c.hashes.stable, 'canary-hash': c.hashes.canary, 'judge-url': s.url, token: 'argo-token' });

test('healthy canary → Successful', async () => {
  const s = await service();
  const run = await runAnalysis(metric, args(s, healthy), () => idle(s.jobs));
  assert.equal(run.phase, 'Successful');
  assert.equal(run.measurements.at(-1)?.value, 'promote');
});

test('panicking canary (the seed demo bad build) → Failed', async () => {
  const s = await service();
  const run = await runAnalysis(metric, args(s, panicking), () => idle(s.jobs));
  assert.equal(run.phase, 'Failed');
  assert.equal(run.measurements.at(-1)?.value, 'rollback');
});

test('LLM unreachable → Inconclusive (fail closed, never promoted)', async () => {
  const s = await service({ llmUrl: 'http://127.0.0.1:9' });
  const run = await runAnalysis(metric, args(s, healthy), () => idle(s.jobs));
  assert.equal(run.phase, 'Inconclusive');
  assert.equal(run.measurements.at(-1)?.value, 'inconclusive');
});

test('a slow analysis answers "not ready" (a measurement Error), then the verdict on a later measurement', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const gated: RolloutsKube = { listPods: (ns, sel) => pods.listPods(ns, sel), readLog: async (...a) => (await gate, pods.readLog(...a)) };
  const s = await service({ fastWait: '0', kube: gated });
  let intervals = 0;
  const run = await runAnalysis(metric, args(s, healthy), () => {
    intervals++;
    release();
    return idle(s.jobs);
  });
  assert.deepEqual(run.measurements.map((m) => m.phase), ['Error', 'Successful']);
  assert.equal(run.measurements[0]?.status, 202);
  assert.match(run.measurements[0]?.message ?? '', /Could not find JSONPath/);
  assert.equal(intervals, 1);
});

test('a wrong bearer token is a non-2xx answer: measurement Errors until consecutiveErrorLimit', async () => {
  const s = await service();
  const run = await runAnalysis(metric, { ...args(s, healthy), token: 'wrong' }, async () => undefined);
  assert.equal(run.phase, 'Error');
  assert.equal(run.measurements.length, (metric.consecutiveErrorLimit ?? 4) + 1);
  assert.equal(run.measurements[0]?.status, 401);
});
