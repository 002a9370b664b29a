import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERRORS, SandgateError, toSandgateError } from './errors.js';

test('every code has an HTTP status and a valid WebSocket close code', () => {
  for (const [code, spec] of Object.entries(ERRORS)) {
    assert.ok(spec.status >= 400 && spec.status < 600, code);
    // 1000-1014 are protocol codes (1005/1006/1015 must never be sent); 4000-4999 are private.
    assert.ok((spec.close >= 1000 && spec.close <= 1014 && ![1004, 1005, 1006].includes(spec.close)) || (spec.close >= 4000 && spec.close <= 4999), code);
  }
});

test('SandgateError carries code, status, close code and Retry-After for 503', () => {
  const e = new SandgateError('SG_ENSURE_TIMEOUT', 'slow', { detail: { backend: 'x' } });
  assert.equal(e.code, 'SG_ENSURE_TIMEOUT');
  assert.equal(e.status, 503);
  assert.equal(e.closeCode, 1013);
  assert.equal(e.retryAfter, 1);
  assert.deepEqual(e.toJSON(), { error: { code: 'SG_ENSURE_TIMEOUT', message: 'slow', detail: { backend: 'x' } } });
});

test('toSandgateError keeps the cause and passes SandgateErrors through', () => {
  const original = new Error('boom');
  const wrapped = toSandgateError(original, 'SG_UPSTREAM_UNREACHABLE');
  assert.equal(wrapped.code, 'SG_UPSTREAM_UNREACHABLE');
  assert.equal(wrapped.cause, original);
  assert.equal(toSandgateError(wrapped), wrapped);
});
