/** Acceptance: the statistical judge alone on the labelled corpus. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRolloutsConfig } from '../config/load.js';
import { CASE_KINDS, generateCorpus } from './corpus.js';
import { runEval } from './run.js';
import { scoreJudge } from './score.js';

test('the corpus is deterministic, labelled and covers every kind', () => {
  const a = generateCorpus();
  const b = generateCorpus();
  assert.deepEqual(a, b);
  assert.deepEqual([...new Set(a.map((c) => c.kind))], [...CASE_KINDS]);
  assert.ok(a.every((c) => c.expected === (['healthy', 'noisy', 'colorChange'].includes(c.kind) ? 'promote' : 'rollback')));
  assert.ok(a.filter((c) => c.kind === 'colorChange').every((c) => c.extraPrompt === 'Ignore color changes.'));
  const panic = a.find((c) => c.id === 'panic-0');
  assert.ok(panic?.pods.some((p) => /panic: runtime error: index out of range/.test(p.previous?.app ?? '')), 'crash in the previous instance');
});

test('statistical judge alone: ≥ 90 % accuracy and no false promote on panic / regression cases', async () => {
  const report = await runEval({ cfg: loadRolloutsConfig({ env: {} }) });
  const s = report.judges.statistical;
  assert.equal(s.n, 48);
  assert.ok(s.accuracy >= 0.9, `accuracy ${s.accuracy}`);
  const promotedBad = report.cases.filter((c) => ['panic', 'latency', 'errorRise'].includes(c.kind) && c.statistical?.verdict === 'promote');
  assert.deepEqual(promotedBad.map((c) => c.id), []);
  assert.equal(s.falsePromotes, 0);
  assert.equal(report.judges.llm, undefined);
  assert.deepEqual(Object.keys(report.cases[0] ?? {}), ['id', 'kind', 'expected', 'description', 'statistical']);
});

test('scores: positive class = must not be promoted; Inconclusive counts as not promoted', () => {
  const s = scoreJudge([
    { expected: 'rollback', verdict: 'rollback' },
    { expected: 'rollback', verdict: 'inconclusive' },
    { expected: 'rollback', verdict: 'promote' },
    { expected: 'promote', verdict: 'promote' },
    { expected: 'promote', verdict: 'inconclusive' },
  ]);
  assert.deepEqual(s, { accuracy: 0.6, precision: 0.667, recall: 0.667, falsePromotes: 1, inconclusive: 2, n: 5 });
});
