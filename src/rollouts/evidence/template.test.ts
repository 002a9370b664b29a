import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskLine } from './template.js';

test('repetitions that differ only in numbers, ids and timestamps fold into one template', () => {
  const a = maskLine('2024-05-01T12:00:01.123Z request 4f1c2a9e-0b7d-4c1e-9a3b-1234567890ab took 12ms from pod web-6d4f7c9b8-x2k9p');
  const b = maskLine('2024-05-02T08:30:59.9Z request 11111111-2222-3333-4444-555555555555 took 873ms from pod web-7a8b9c0d1-q8w7e');
  assert.equal(a, b);
  assert.match(a, /^<TS> request <ID> took <N>ms/);
});

test('HTTP status codes keep their class, so 200 and 500 lines stay apart', () => {
  assert.equal(maskLine('2024/05/01 12:00:01 500 - red'), '<TS> 5xx - red');
  assert.equal(maskLine('2024/05/01 12:00:01 200 - red'), '<TS> 2xx - red');
  assert.equal(maskLine('"GET /color HTTP/1.1" 503 17'), '"GET /color HTTP/<N>" 5xx <N>');
  assert.equal(maskLine('status=404 path=/x'), 'status=4xx path=/x');
});

test('words are kept: a colour change yields a different template', () => {
  assert.notEqual(maskLine('12:00:01 200 - blue'), maskLine('12:00:01 200 - green'));
  assert.equal(maskLine('panic: runtime error: index out of range [6] with length 6'), 'panic: runtime error: index out of range [<N>] with length <N>');
});
