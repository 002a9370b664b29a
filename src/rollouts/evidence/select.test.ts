import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RolloutError } from '../errors.js';
import { selectorsFor } from './select.js';

const none = { stableSelector: '', canarySelector: '' };

test('pod-template-hash values select each side, narrowed by a base selector', () => {
  assert.deepEqual(selectorsFor({ stableHash: 'abc123', canaryHash: 'def456' }, none), {
    stable: 'rollouts-pod-template-hash=abc123',
    canary: 'rollouts-pod-template-hash=def456',
  });
  assert.deepEqual(selectorsFor({ selector: 'app=demo', stableHash: 'abc123', canaryHash: 'def456' }, none).canary, 'app=demo,rollouts-pod-template-hash=def456');
});

test('explicit selectors win over hashes, request over configuration', () => {
  const cfg = { stableSelector: 'role=stable', canarySelector: 'role=canary' };
  assert.deepEqual(selectorsFor({}, cfg), { stable: 'role=stable', canary: 'role=canary' });
  assert.deepEqual(selectorsFor({ canarySelector: 'track=new', stableHash: 'aaa' }, cfg), { stable: 'rollouts-pod-template-hash=aaa', canary: 'track=new' });
});

test('missing, malformed or identical selections are refused with SG_ROLLOUT_BAD_REQUEST', () => {
  const bad = (input: Parameters<typeof selectorsFor>[0]) =>
    assert.throws(() => selectorsFor(input, none), (e: unknown) => e instanceof RolloutError && e.code === 'SG_ROLLOUT_BAD_REQUEST');
  bad({ stableHash: 'abc' });
  bad({ stableHash: 'ABC;rm', canaryHash: 'def' });
  bad({ stableSelector: 'app=x"', canarySelector: 'app=y' });
  bad({ stableHash: 'same', canaryHash: 'same' });
});
