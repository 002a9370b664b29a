import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RolloutError } from '../errors.js';
import { withRetry } from './retry.js';

const noWait = (delays: number[]) => async (ms: number) => {
  delays.push(ms);
};

test('retries retryable failures with exponential backoff, then succeeds', async () => {
  const delays: number[] = [];
  let calls = 0;
  const out = await withRetry(
    async () => {
      calls++;
      if (calls < 3) throw new RolloutError('SG_ROLLOUT_LLM_FAILED', '503', { retryable: true });
      return 'ok';
    },
    { retries: 3, timeoutMs: 1000, baseDelayMs: 100, sleep: noWait(delays), random: () => 1 },
  );
  assert.equal(out, 'ok');
  assert.deepEqual(delays, [100, 200]);
});

test('Retry-After wins over the backoff; non-retryable errors and exhausted retries throw', async () => {
  const delays: number[] = [];
  await assert.rejects(
    withRetry(async () => Promise.reject(new RolloutError('SG_ROLLOUT_LLM_FAILED', '429', { retryable: true, retryAfter: 2 })), { retries: 2, timeoutMs: 1000, sleep: noWait(delays) }),
    /429/,
  );
  assert.deepEqual(delays, [2000, 2000]);
  let calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls++;
      throw new RolloutError('SG_ROLLOUT_LLM_FAILED', '400', { retryable: false });
    }, { retries: 5, timeoutMs: 1000, sleep: noWait([]) }),
    /400/,
  );
  assert.equal(calls, 1);
});

test('an attempt that outlives its deadline becomes a retryable SG_ROLLOUT_LLM_TIMEOUT', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(
      (signal) => {
        calls++;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      { retries: 1, timeoutMs: 20, sleep: noWait([]) },
    ),
    (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_LLM_TIMEOUT',
  );
  assert.equal(calls, 2);
});

test("the caller's abort stops retrying at once", async () => {
  const ctl = new AbortController();
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        ctl.abort();
        throw new RolloutError('SG_ROLLOUT_LLM_FAILED', '500', { retryable: true });
      },
      { retries: 5, timeoutMs: 1000, signal: ctl.signal, sleep: noWait([]) },
    ),
    RolloutError,
  );
  assert.equal(calls, 1);
});
