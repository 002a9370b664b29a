import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionTokens, STREAMS_PER_TOKEN } from './tunnel.js';

function pool(expiresInMs = 0) {
  let now = 1_000_000;
  const minted: string[] = [];
  const revoked: string[] = [];
  const tokens = new SessionTokens(
    async () => {
      minted.push(`t${minted.length}`);
      return { token: minted.at(-1) ?? '', expiresAtMs: expiresInMs ? now + expiresInMs : 0 };
    },
    async (t) => void revoked.push(t),
    () => now,
  );
  return { tokens, minted, revoked, advance: (ms: number) => (now += ms) };
}

test('one session token serves up to the per-token stream limit, then another is minted', async () => {
  const { tokens, minted } = pool();
  const held = await Promise.all(Array.from({ length: STREAMS_PER_TOKEN + 1 }, () => tokens.acquire()));
  assert.deepEqual(minted.length, 2);
  assert.equal(held.filter((h) => h.token === 't0').length, STREAMS_PER_TOKEN);
  tokens.release(held[0]!);
  assert.equal((await tokens.acquire()).token, 't0'); // a freed slot is reused
});

test('a refused token is dropped; a token near expiry is not handed out and is revoked once idle', async () => {
  const { tokens, minted, revoked, advance } = pool(120_000);
  const a = await tokens.acquire();
  tokens.release(a, true);
  assert.equal(tokens.size, 0);
  assert.deepEqual(revoked, []); // refused tokens are not revoked again
  const b = await tokens.acquire();
  advance(90_000); // 30 s left: inside the margin
  const c = await tokens.acquire();
  assert.notEqual(c.token, b.token);
  tokens.release(b);
  assert.deepEqual(revoked, [b.token]);
  await tokens.close();
  assert.deepEqual(revoked, [b.token, c.token]);
  assert.equal(minted.length, 3);
});
