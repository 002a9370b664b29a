import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCondition, endpointId, findCondition, terminalError } from './conditions.js';
import { newer } from './informer.js';

test('terminal errors are SG_BACKEND_TERMINAL with the kind, name and reason', () => {
  const err = terminalError('SandboxClaim', 'sg-a', { reason: 'WarmPoolNotFound', message: 'gone' });
  assert.equal(err.code, 'SG_BACKEND_TERMINAL');
  assert.equal(err.status, 502);
  assert.deepEqual(err.detail, { reason: 'WarmPoolNotFound' });
  assert.equal(err.message, 'SandboxClaim sg-a: WarmPoolNotFound (gone)');
  assert.equal(terminalError('Sandbox', 'sg-b', { reason: 'PodFailed', message: '' }).message, 'Sandbox sg-b: PodFailed');
});

test('endpoint ids change with the incarnation and with the object uid', () => {
  const obj = (uid?: string) => ({ metadata: { name: 'sg-a', ...(uid ? { uid } : {}) } });
  assert.notEqual(endpointId(obj('u1'), '10.0.0.1'), endpointId(obj('u1'), '10.0.0.2'));
  assert.notEqual(endpointId(obj('u1'), '10.0.0.1'), endpointId(obj('u2'), '10.0.0.1'));
  assert.equal(endpointId(obj(), '10.0.0.1'), 'sg-a/10.0.0.1');
});

test('conditions: found by type, described as reason: message', () => {
  const status = { conditions: [{ type: 'Ready', status: 'False' as const, reason: 'DependenciesNotReady', message: 'Pod does not exist' }] };
  assert.equal(findCondition(status, 'Ready')?.reason, 'DependenciesNotReady');
  assert.equal(findCondition(status, 'Suspended'), undefined);
  assert.equal(describeCondition(findCondition(status, 'Ready'), 'Pending'), 'DependenciesNotReady: Pod does not exist');
  assert.equal(describeCondition(undefined, 'Pending'), 'Pending');
});

test('resourceVersions compare numerically when numeric, else by inequality', () => {
  assert.equal(newer('10', '9'), true);
  assert.equal(newer('9', '10'), false);
  assert.equal(newer('9', '9'), false);
  assert.equal(newer(undefined, '9'), true);
  assert.equal(newer('abc', 'abd'), true);
});
