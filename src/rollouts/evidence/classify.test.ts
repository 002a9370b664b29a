import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from './classify.js';
import type { LineKind } from './types.js';

function kinds(lines: string[]): LineKind[] {
  let prev: LineKind | undefined;
  return lines.map((l) => (prev = classify(l, prev)));
}

test('a Go panic and its goroutine trace: one panic, the rest trace', () => {
  const out = kinds([
    'panic: runtime error: index out of range [6] with length 6',
    'goroutine 23 [running]:',
    'main.getColor({0x7f, 0xc0})',
    '\t/app/main.go:171 +0x1d',
    '2024/05/01 12:00:02 200 - blue',
  ]);
  assert.deepEqual(out, ['panic', 'trace', 'trace', 'trace', 'info']);
});

test('exceptions, errors, HTTP 5xx, warnings, info', () => {
  assert.equal(classify('java.lang.NullPointerException: boom', undefined), 'exception');
  assert.equal(classify('Traceback (most recent call last):', undefined), 'exception');
  assert.equal(classify('level=error msg="db down"', undefined), 'error');
  assert.equal(classify('2024/05/01 12:00:01 500 - red', undefined), 'error');
  assert.equal(classify('"GET / HTTP/1.1" 502 0', undefined), 'error');
  assert.equal(classify('WARN cache miss ratio high', undefined), 'warn');
  assert.equal(classify('2024/05/01 12:00:01 200 - red', undefined), 'info');
  assert.equal(classify('http: panic serving 10.0.0.1:4000: runtime error', undefined), 'panic');
  assert.equal(classify('FATAL could not bind', undefined), 'panic');
});

test('"error" that reports nothing wrong is not an error', () => {
  assert.equal(classify('request done error=nil', undefined), 'info');
  assert.equal(classify('processed 10 items, errors: 0', undefined), 'info');
  assert.equal(classify('failed: 0', undefined), 'info');
});

test('indented lines are only a trace after a panic or exception', () => {
  assert.equal(classify('    at handler (/app/x.js:1:2)', 'info'), 'info');
  assert.equal(classify('    at handler (/app/x.js:1:2)', 'exception'), 'trace');
});
