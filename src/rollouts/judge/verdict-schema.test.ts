import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RolloutError } from '../errors.js';
import { parseVerdict } from './verdict-schema.js';

const ok = { promote: true, confidence: 87, summary: 's', evidence: ['e'], suspectedCause: '' };

test('bare, fenced and prose-wrapped JSON parse', () => {
  assert.deepEqual(parseVerdict(JSON.stringify(ok)), ok);
  assert.deepEqual(parseVerdict('```json\n' + JSON.stringify(ok) + '\n```'), ok);
  assert.deepEqual(parseVerdict('Here you go: ' + JSON.stringify(ok) + ' hope it helps'), ok);
  assert.equal(parseVerdict(JSON.stringify({ ...ok, confidence: '64.6' })).confidence, 65);
  assert.deepEqual(parseVerdict(JSON.stringify({ promote: false, confidence: 10 })), { promote: false, confidence: 10, summary: '', evidence: [], suspectedCause: '' });
});

test('anything else is SG_ROLLOUT_LLM_UNPARSABLE', () => {
  for (const text of ['I think it is fine', '{"promote": "yes", "confidence": 90}', '{"promote": true, "confidence": 140}', '{"confidence": 90}', '{"promote": true,']) {
    assert.throws(() => parseVerdict(text), (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_LLM_UNPARSABLE', text);
  }
});
