/** listRetrying: 429 answers are waited out (Retry-After), other errors and the last 429 are thrown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { listRetrying } from './list-watch.js';
import { retryAfterMs } from './errors.js';

const initialising = () =>
  new ApiException(429, 'HTTP-Code: 429', JSON.stringify({ kind: 'Status', code: 429, message: 'storage is (re)initializing', details: { retryAfterSeconds: 1 } }), { 'retry-after': '1' });

test('retryAfterMs: Retry-After header, else the Status details, else 1 s; undefined for other errors', () => {
  assert.equal(retryAfterMs(initialising()), 1000);
  assert.equal(retryAfterMs(new ApiException(429, 'x', JSON.stringify({ details: { retryAfterSeconds: 3 } }), {})), 3000);
  assert.equal(retryAfterMs(new ApiException(429, 'x', 'not json', {})), 1000);
  assert.equal(retryAfterMs(new ApiException(500, 'x', '', {})), undefined);
  assert.equal(retryAfterMs(new Error('x')), undefined);
});

test('listRetrying: a LIST answered 429 is retried after the server-given delay until it succeeds', async () => {
  let calls = 0;
  const started = Date.now();
  const result = await listRetrying(async () => {
    calls++;
    if (calls < 3) throw initialising();
    return 'items';
  });
  assert.equal(result, 'items');
  assert.equal(calls, 3);
  assert.ok(Date.now() - started >= 1900, 'waited the Retry-After twice');
});

test('listRetrying: other errors are thrown at once; 429s beyond the retry budget are thrown', async () => {
  let calls = 0;
  await assert.rejects(
    listRetrying(async () => {
      calls++;
      throw new ApiException(403, 'forbidden', '', {});
    }),
    (err: unknown) => err instanceof ApiException && err.code === 403,
  );
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(
    listRetrying(async () => {
      calls++;
      throw initialising();
    }, 1),
    (err: unknown) => err instanceof ApiException && err.code === 429,
  );
  assert.equal(calls, 2);
});
