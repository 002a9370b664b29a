/** Tests for restore.ts: which mode a restore cell runs in. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restoreMode } from './restore.js';
import type { GatewayTarget } from './targets.js';

const noop = async () => undefined;
const base: GatewayTarget = { name: 'b', conn: () => ({ url: 'ws://x', headers: {} }), close: noop };
const canRelease: GatewayTarget = { ...base, release: noop };
const canSuspend: GatewayTarget = { ...canRelease, suspend: noop };

test('auto suspends when the target can, else re-creates', () => {
  assert.equal(restoreMode(canSuspend, 'auto'), 'suspend');
  assert.equal(restoreMode(canRelease, 'auto'), 'recreate');
  assert.equal(restoreMode(canSuspend, 'recreate'), 'recreate');
});

test('an impossible mode is an error, not a silent fallback', () => {
  assert.match(String(restoreMode(canRelease, 'suspend')), /cannot suspend/);
  assert.match(String(restoreMode(base, 'auto')), /suspend or release/);
  assert.match(String(restoreMode(base, 'recreate')), /release/);
});
