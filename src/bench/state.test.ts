/** Tests for state.ts: which state a restore cell may expect, by mode and protocol. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredState, withTimeout } from './state.js';

const live = { suspend: true, persistentState: false, suspendKeeps: ['cookie', 'localStorage', 'memory', 'page'] as const };

test('suspend declares suspendKeeps; recreate declares cookie + localStorage only with persistentState', () => {
  assert.deepEqual(declaredState({ ...live, suspendKeeps: [...live.suspendKeeps] }, 'suspend', 'cdp'), ['cookie', 'localStorage', 'memory', 'page']);
  assert.deepEqual(declaredState({ suspend: true, persistentState: false, suspendKeeps: ['memory'] }, 'suspend', 'cdp'), ['memory']);
  assert.deepEqual(declaredState({ suspend: true, persistentState: false }, 'suspend', 'cdp'), ['cookie', 'localStorage', 'memory', 'page']);
  assert.deepEqual(declaredState({ ...live, suspendKeeps: [...live.suspendKeeps] }, 'recreate', 'cdp'), []);
  assert.deepEqual(declaredState({ suspend: false, persistentState: true, suspendKeeps: [] }, 'recreate', 'cdp'), ['cookie', 'localStorage']);
  assert.deepEqual(declaredState(undefined, 'suspend', 'cdp'), []);
});

test('over the Playwright protocol nothing is declared (a new connection never sees another one\'s contexts)', () => {
  assert.deepEqual(declaredState({ ...live, suspendKeeps: [...live.suspendKeeps] }, 'suspend', 'playwright'), []);
  assert.deepEqual(declaredState({ suspend: false, persistentState: true }, 'recreate', 'playwright'), []);
});

test('withTimeout rejects late promises with CLIENT_TIMEOUT and passes prompt ones through', async () => {
  assert.equal(await withTimeout(Promise.resolve(7), 50, 'x'), 7);
  await assert.rejects(withTimeout(new Promise(() => undefined), 10, 'writing state'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CLIENT_TIMEOUT');
    assert.match(err.message, /writing state took longer than 10 ms/);
    return true;
  });
});
