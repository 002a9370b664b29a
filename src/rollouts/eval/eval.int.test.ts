/** `rollouts eval` with an LLM provider configured (a loopback fake of the OpenAI API): all three judges are scored. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRolloutsConfig } from '../config/load.js';
import { OpenAiClient } from '../llm/openai.js';
import { FakeLlm } from '../testing/fake-llm.js';
import { heuristicBrain } from '../testing/heuristic-brain.js';
import { generateCorpus } from './corpus.js';
import { runEval } from './run.js';

let llm: FakeLlm;
before(async () => (llm = await FakeLlm.start('openai', heuristicBrain)));
after(() => llm.close());

test('llm and combined judges are reported; the colour case gets its extraPrompt; LLM failures never promote', async () => {
  const cfg = loadRolloutsConfig({ env: {}, flags: { llmProvider: 'openai', llmModel: 'judge', llmRetries: 0 } });
  const cases = generateCorpus(2);
  llm.steps.push({ status: 500 }); // the first case's LLM call fails
  const report = await runEval({ cfg, cases, llm: new OpenAiClient({ baseUrl: llm.url, model: 'judge', apiKey: llm.key }) });
  assert.equal(report.judges.llm?.n, 12);
  assert.equal(report.judges.combined?.n, 12);
  const first = report.cases[0];
  assert.equal(first?.llm?.verdict, 'inconclusive');
  assert.notEqual(first?.combined?.verdict, 'promote');
  const told = llm.prompts.filter((p) => /Ignore color changes\./.test(p.user));
  assert.equal(told.length, cases.filter((c) => c.kind === 'colorChange').length);
  assert.ok(told.every((p) => /2xx - green|color=green/.test(p.user)));
  assert.deepEqual(report.cases.filter((c) => c.kind === 'colorChange').map((c) => c.llm?.verdict), ['promote', 'promote']);
  assert.equal(report.judges.combined?.falsePromotes, 0);
});
