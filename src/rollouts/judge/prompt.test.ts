import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evidence, pod, template } from '../testing/evidence.js';
import { wireEvidence } from './llm.js';
import { compactEvidence, userPrompt } from './prompt.js';

test('the prompt carries per-pod counts, new canary templates first, both log sections and the operator context', () => {
  const ev = evidence({
    pods: [pod('stable', 's-1'), pod('canary', 'c-1', { panic: 2, restarts: 1 })],
    templates: [template('<TS> 2xx - blue', 'info', 900, 0), template('<TS> 2xx - green', 'info', 0, 450), template('panic: boom', 'panic', 0, 2)],
  });
  const text = userPrompt(ev, 16_000, 'Ignore color changes.');
  assert.match(text, /canary c-1: lines=500 errors=0 exceptions=0 panics=2 warnings=0 restarts=1/);
  assert.ok(text.indexOf('panic: boom') < text.indexOf('2xx - green'), 'errors before info');
  assert.ok(text.indexOf('--- STABLE LOGS ---') < text.indexOf('--- CANARY LOGS ---'));
  assert.match(text, /Additional context from the operator: Ignore color changes\./);
  assert.match(text, /^=== EVIDENCE START ===/);
});

test('evidence is capped to maxChars however many templates there are', () => {
  const many = Array.from({ length: 2000 }, (_, i) => template(`template number ${i} ${'x'.repeat(80)}`, i % 7 === 0 ? 'error' : 'info', i % 3, 5));
  const text = compactEvidence(evidence({ templates: many }), 4000);
  assert.ok(text.length <= 4000, String(text.length));
  assert.match(text, /truncated/);
});

test('the structured evidence attachment keeps new and error templates first and is bounded', () => {
  const many = Array.from({ length: 1000 }, (_, i) => template(`info ${i}`, 'info', 5, 5));
  const ev = evidence({ templates: [...many, template('db: deadlock', 'error', 0, 9)] });
  const wired = wireEvidence(ev, 100);
  assert.equal(wired.templates.length, 100);
  assert.equal(wired.templates[0]?.template, 'db: deadlock');
});
