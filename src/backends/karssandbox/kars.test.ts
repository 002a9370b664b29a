import { test } from 'node:test';
import assert from 'node:assert/strict';
import { karsState, type KarsSandbox } from './kars.js';

const sb = (phase: string, ready?: { status: 'True' | 'False'; reason?: string }, extra: Partial<KarsSandbox> = {}): KarsSandbox => ({
  metadata: { name: 'x' },
  status: { phase, namespace: 'kars-x', sandboxPod: 'sandbox-abc', conditions: ready ? [{ type: 'Ready', ...ready }] : [] },
  ...extra,
});

test('KARS status: Running + Ready=True is ready (address resolved from the pod); Failed and Degraded are terminal with the reason', () => {
  assert.deepEqual(karsState(sb('Running', { status: 'True' })), { kind: 'ready', incarnation: 'sandbox-abc' });
  assert.equal(karsState(sb('Running', { status: 'False' })).kind, 'pending');
  assert.equal(karsState(sb('Creating', { status: 'True' })).kind, 'pending');
  assert.deepEqual(karsState(sb('Degraded', { status: 'False', reason: 'InferencePolicyNotFound' })), { kind: 'terminal', reason: 'InferencePolicyNotFound', message: 'phase Degraded' });
  assert.equal((karsState(sb('Failed')) as { reason: string }).reason, 'Failed');
  assert.equal(karsState(sb('Terminating')).kind, 'deleting');
  assert.equal(karsState(sb('Pending', undefined, { spec: { suspended: true } as NonNullable<KarsSandbox['spec']> })).kind, 'suspended');
});
