/** The A2A agent (agent card, SendMessage → analysis task) and the A2A client mode that delegates the judgement to it. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { loadRolloutsConfig } from '../config/load.js';
import { RolloutError } from '../errors.js';
import { generateCorpus } from '../eval/corpus.js';
import { judgeWithLlm } from '../judge/llm.js';
import { createAnalyzer } from '../runtime.js';
import type { RolloutsServer } from '../serve/server.js';
import { evidence } from '../testing/evidence.js';
import { MemoryKube } from '../kube/memory.js';
import { startService } from '../testing/service.js';
import { A2aJudgeClient } from './client.js';
import { dataPart, readData, resultParts, textPart, userMessage } from './parts.js';

const corpus = generateCorpus();
const healthy = corpus.find((c) => c.id === 'healthy-3');
const panicking = corpus.find((c) => c.id === 'panic-3');
assert.ok(healthy && panicking);
const kube = new MemoryKube([...healthy.pods, ...panicking.pods]);
let agent: RolloutsServer;
before(async () => (agent = await startService({}, { kube })));
after(() => agent.close());

const send = async (parts: Parameters<typeof userMessage>[0]) => {
  const client = await new ClientFactory().createFromUrl(agent.url);
  return (await client.sendMessage({ tenant: '', message: userMessage(parts), configuration: undefined, metadata: undefined })) as Task;
};

test('the agent card is served at /.well-known/agent-card.json with the canary-judgement skill', async () => {
  const res = await fetch(`${agent.url}/.well-known/agent-card.json`);
  const card = (await res.json()) as { name: string; skills: Array<{ id: string }>; supportedInterfaces: Array<{ url: string; protocolBinding: string }> };
  assert.equal(card.skills[0]?.id, 'canary-judgement');
  assert.deepEqual(card.supportedInterfaces[0], { url: `${agent.url}/a2a`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' });
});

test('SendMessage with an analysis request → a completed task whose artifact is the verdict', async () => {
  const task = await send([dataPart({ kind: 'analysis-request', namespace: 'default', rollout: 'rollouts-demo', stableHash: panicking.hashes.stable, canaryHash: panicking.hashes.canary })]);
  assert.equal(task.status?.state, TaskState.TASK_STATE_COMPLETED);
  const verdict = readData(resultParts(task));
  assert.equal(verdict?.verdict, 'rollback');
  assert.equal(verdict?.promote, false);
  assert.ok(Number(verdict?.confidence) >= 80);
});

test('a message the agent cannot use is rejected with the reason', async () => {
  const task = await send([textPart('is my canary fine?')]);
  assert.equal(task.status?.state, TaskState.TASK_STATE_REJECTED);
  assert.match(resultParts(task).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(''), /SG_ROLLOUT_BAD_REQUEST/);
});

test('A2A client mode: a second analyzer delegates its judgement to the remote agent', async () => {
  const cfg = loadRolloutsConfig({ env: {}, flags: { llmProvider: 'a2a', a2aUrl: agent.url, since: '0', llmRetries: 0 } });
  const delegating = createAnalyzer(cfg, { kube, healer: undefined }, () => undefined);
  for (const [c, want] of [[healthy, 'promote'], [panicking, 'rollback']] as const) {
    const r = await delegating.analyze({ namespace: 'default', rollout: 'rollouts-demo', stableHash: c.hashes.stable, canaryHash: c.hashes.canary });
    const remote = r.decision.judgements.find((j) => j.judge === 'llm');
    assert.equal(remote?.failure, undefined, remote?.failure?.message);
    assert.equal(r.decision.verdict, want, `${c.id}: ${r.decision.summary}`);
  }
});

test('an unreachable or refusing remote agent fails closed', async () => {
  const retry = { retries: 0, timeoutMs: 3000 };
  const down = await judgeWithLlm(new A2aJudgeClient('http://127.0.0.1:9'), evidence(), { extraPrompt: '', maxEvidenceChars: 4000, retry });
  assert.equal(down.failure?.code, 'SG_ROLLOUT_A2A_FAILED');
  const request = { system: 's', user: 'u', schema: {}, schemaName: 'canary_verdict', data: { kind: 'canary-evidence', evidence: { pods: 'not a list' } } };
  await assert.rejects(new A2aJudgeClient(agent.url).complete(request), (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_A2A_FAILED' && /REJECTED/.test(e.message));
});
