/** Tests for error-code.ts: codes from gateway bodies, HTTP statuses and client failures; safe messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCode, errorMessage } from './error-code.js';

// The shape Playwright 1.65 gives a refused handshake (body included, then a call log with ANSI codes).
const refused = new Error(
  'browserType.connect: WebSocket error: ws://127.0.0.1:39677/playwright 502 Bad Gateway\n' +
    '{"error":{"code":"SG_RUNTIME_FAILED","message":"sandbox runtime exited (code 1, signal null); stderr: boom\\n  at x"}}\n' +
    'Call log:\n\u001b[2m  - <ws connecting> ws://127.0.0.1:39677/playwright\u001b[22m\n',
);

test('the gateway code comes from the JSON body of a refused handshake', () => {
  assert.equal(errorCode(refused), 'SG_RUNTIME_FAILED');
  assert.equal(errorMessage(refused), 'sandbox runtime exited (code 1, signal null); stderr: boom at x');
});

test('a bare SG_ code is found anywhere in the message', () => {
  assert.equal(errorCode(new Error('socket closed: 1013 SG_ENSURE_TIMEOUT')), 'SG_ENSURE_TIMEOUT');
});

test('a refused handshake without a gateway body gives HTTP_<status>', () => {
  const e = new Error('browserType.connect: WebSocket error: ws://127.0.0.1:1/abc/playwright 428 Precondition Required\nCall log: …');
  assert.equal(errorCode(e), 'HTTP_428');
  assert.equal(errorMessage(e), 'browserType.connect: WebSocket error: ws://127.0.0.1:1/… 428 Precondition Required');
});

test('timeouts and anything else get client codes', () => {
  const timeout = Object.assign(new Error('page.goto: Timeout 100ms exceeded.'), { name: 'TimeoutError' });
  assert.equal(errorCode(timeout), 'CLIENT_TIMEOUT');
  assert.equal(errorCode(new Error('Target page, context or browser has been closed'), true), 'CLIENT_TIMEOUT');
  assert.equal(errorCode(new Error('page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/')), 'NET_ERR_CONNECTION_REFUSED');
  assert.equal(errorCode(new Error('Target page, context or browser has been closed')), 'CLIENT_ERROR');
  assert.equal(errorCode('weird'), 'CLIENT_ERROR');
});

test('messages mask URL paths (sandbox secrets) and are capped', () => {
  const m = errorMessage(new Error(`connect ECONNREFUSED at ws://10.1.2.3:9222/s3cr3t/cdp?token=abc ${'x'.repeat(500)}`));
  assert.ok(!m.includes('s3cr3t') && !m.includes('token=abc'), m);
  assert.ok(m.includes('ws://10.1.2.3:9222/…'), m);
  assert.ok(m.length <= 300);
});

test('an error thrown in this process keeps its own SG_ code', () => {
  assert.equal(errorCode(Object.assign(new Error('no chromium'), { code: 'SG_RUNTIME_FAILED' })), 'SG_RUNTIME_FAILED');
  assert.equal(errorCode(Object.assign(new Error('x'), { code: 'HTTP_428' })), 'HTTP_428');
  assert.equal(errorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'CLIENT_ERROR');
});
