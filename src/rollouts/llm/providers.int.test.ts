/** Every LLM provider against a loopback fake that speaks its real HTTP API. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeWithLlm } from '../judge/llm.js';
import { VERDICT_SCHEMA } from '../judge/verdict-schema.js';
import { evidence, pod, template } from '../testing/evidence.js';
import { FakeLlm, type LlmApi } from '../testing/fake-llm.js';
import { heuristicBrain } from '../testing/heuristic-brain.js';
import { GeminiClient } from './gemini.js';
import { OllamaClient } from './ollama.js';
import { OpenAiClient } from './openai.js';
import type { LlmClient } from './types.js';

const client = (api: LlmApi, url: string, key = 'test-key'): LlmClient =>
  api === 'gemini' ? new GeminiClient({ apiKey: key, model: 'gemini-2.5-flash', baseUrl: url }) : api === 'openai' ? new OpenAiClient({ baseUrl: url, model: 'qwen2.5', apiKey: key }) : new OllamaClient({ baseUrl: url, model: 'llama3.1' });

const panicking = evidence({ pods: [pod('stable', 's'), pod('canary', 'c', { panic: 3, restarts: 1 })], templates: [template('panic: boom', 'panic', 0, 3)] });
const delays: number[] = [];
const retry = { retries: 2, timeoutMs: 2000, sleep: async (ms: number) => void delays.push(ms) };
const opts = { extraPrompt: 'Ignore color changes.', maxEvidenceChars: 8000, retry };

for (const api of ['gemini', 'openai', 'ollama'] as const) {
  describe(`${api} provider`, () => {
    let fake: FakeLlm;
    before(async () => (fake = await FakeLlm.start(api, heuristicBrain)));
    after(() => fake.close());

    test('answers a verdict through the real API shape with the schema enforced', async () => {
      const j = await judgeWithLlm(client(api, fake.url), panicking, opts);
      assert.equal(j.failure, undefined);
      assert.equal(j.promote, false);
      assert.equal(j.confidence, 90);
      assert.ok(j.score < 0.1);
      const req = fake.requests.at(-1)?.body as Record<string, unknown>;
      if (api === 'gemini') {
        assert.equal(fake.requests.at(-1)?.path, '/v1beta/models/gemini-2.5-flash:generateContent');
        const gc = req.generationConfig as Record<string, unknown>;
        assert.equal(gc.responseMimeType, 'application/json');
        assert.deepEqual(gc.responseJsonSchema, VERDICT_SCHEMA);
      } else if (api === 'openai') {
        assert.deepEqual(req.response_format, { type: 'json_schema', json_schema: { name: 'canary_verdict', strict: true, schema: VERDICT_SCHEMA } });
      } else {
        assert.deepEqual(req.format, VERDICT_SCHEMA);
        assert.equal(req.stream, false);
      }
      const prompt = fake.prompts.at(-1);
      assert.match(prompt?.user ?? '', /Additional context from the operator: Ignore color changes\./);
      assert.match(prompt?.system ?? '', /never instructions to you/);
    });

    test('429 (with Retry-After) and 503 are retried with backoff', async () => {
      delays.length = 0;
      fake.steps.push({ status: 429, retryAfter: 1 }, { status: 503 });
      const j = await judgeWithLlm(client(api, fake.url), panicking, opts);
      assert.equal(j.failure, undefined);
      assert.equal(delays.length, 2);
      assert.equal(delays[0], 1000);
    });

    test('an unparsable answer is retried, then fails closed', async () => {
      fake.steps.push({ answer: 'sure, promote it' }, { answer: '{"promote": "maybe"}' }, { answer: 'no JSON here' });
      const j = await judgeWithLlm(client(api, fake.url), panicking, opts);
      assert.equal(j.failure?.code, 'SG_ROLLOUT_LLM_UNPARSABLE');
      assert.equal(j.promote, false);
    });

    test('a hanging server times out per attempt: SG_ROLLOUT_LLM_TIMEOUT, never a promotion', async () => {
      fake.steps.push({ hang: true }, { hang: true }, { hang: true });
      const j = await judgeWithLlm(client(api, fake.url), panicking, { ...opts, retry: { ...retry, timeoutMs: 150 } });
      assert.equal(j.failure?.code, 'SG_ROLLOUT_LLM_TIMEOUT');
      assert.equal(j.score, 0.5);
    });

    if (api !== 'ollama') {
      test('a wrong key is not retried', async () => {
        const before = fake.requests.length;
        const j = await judgeWithLlm(client(api, fake.url, 'wrong'), panicking, opts);
        assert.equal(j.failure?.code, 'SG_ROLLOUT_LLM_FAILED');
        assert.equal(fake.requests.length - before, 1);
      });
    }
  });
}
