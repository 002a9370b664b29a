import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, normalizeCause, verdictOf } from './decide.js';
import { failedJudgement, judgementFromVerdict } from './llm.js';
import type { Judgement } from './types.js';

const t = { promote: 0.75, rollback: 0.35 };
const stat = (score: number, critical = false): Judgement => ({
  judge: 'statistical', score, confidence: 90, promote: score >= 0.5, summary: 'stat', evidence: [], suspectedCause: critical ? 'crash in canary' : '', causeKey: critical ? 'panic: <N>' : '',
  findings: [{ check: 'panics', status: critical ? 'fail' : 'pass', critical: true, detail: '' }],
});
const llm = (promote: boolean, confidence: number) => judgementFromVerdict({ promote, confidence, summary: 'llm', evidence: [], suspectedCause: promote ? '' : 'Nil pointer in handler #42' });

test('thresholds: promote ≥ T_promote, rollback ≤ T_rollback, Inconclusive between', () => {
  assert.equal(verdictOf(0.75, t), 'promote');
  assert.equal(verdictOf(0.35, t), 'rollback');
  assert.equal(verdictOf(0.5, t), 'inconclusive');
});

test('combined: both healthy promotes; disagreement never promotes', () => {
  assert.equal(decide('combined', t, stat(0.95), llm(true, 90)).verdict, 'promote');
  assert.equal(decide('combined', t, stat(0.95), llm(false, 80)).verdict, 'inconclusive');
  // With a low promote threshold the average (0.725) would promote, but the LLM leans against.
  assert.equal(decide('combined', { promote: 0.6, rollback: 0.3 }, stat(1), llm(false, 10)).verdict, 'inconclusive');
  assert.equal(decide('combined', t, stat(0.2), llm(false, 90)).verdict, 'rollback');
});

test('fail closed: an LLM failure turns a statistical promote into Inconclusive, keeps a rollback', () => {
  const down = failedJudgement(new Error('connect ECONNREFUSED'));
  const healthy = decide('combined', t, stat(0.97), down);
  assert.equal(healthy.verdict, 'inconclusive');
  assert.match(healthy.summary, /llm judge unavailable \(SG_ROLLOUT_LLM_FAILED\)/);
  assert.equal(decide('combined', t, stat(0.1), down).verdict, 'rollback');
  assert.equal(decide('llm', t, stat(0.97), down).verdict, 'inconclusive');
});

test('a critical statistical failure rolls back whatever the LLM says', () => {
  const d = decide('combined', t, stat(0, true), llm(true, 100));
  assert.equal(d.verdict, 'rollback');
  assert.equal(d.causeKey, 'panic: <N>');
});

test('statistical mode ignores the LLM; causes without a statistical key normalise to a stable key', () => {
  assert.equal(decide('statistical', t, stat(0.95), llm(false, 100)).verdict, 'promote');
  assert.equal(normalizeCause('Nil pointer in handler #42!'), normalizeCause('nil  pointer in handler #7'));
  assert.equal(decide('llm', t, stat(0.9), llm(false, 90)).causeKey, 'nil pointer in handler');
});
