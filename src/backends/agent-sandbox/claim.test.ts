import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimKind, claimState, type SandboxClaim } from './claim.js';

test('the claim body names the pool, labels claim and pod with the tenant, and keeps the full id in annotations', () => {
  const metadata = { name: 'sg-a', namespace: 'ns', labels: { 'sandgate.io/gateway': 'gw1', 'sandbox.users.io/t': 'h-team-a-1234abcd' }, annotations: { 'sandgate.io/tenant': 'team/a' } };
  const body = claimKind('pool').body({
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    version: 'v1beta1',
    metadata,
    tenant: 'team/a',
    podLabels: { 'sandbox.users.io/t': 'h-team-a-1234abcd' },
    podAnnotations: { 'sandgate.io/tenant': 'team/a' },
  });
  assert.equal(body.apiVersion, 'extensions.agents.x-k8s.io/v1beta1');
  assert.equal(body.spec?.warmPoolRef?.name, 'pool');
  assert.deepEqual(body.metadata, metadata);
  assert.deepEqual(body.spec?.additionalPodMetadata?.labels, { 'sandbox.users.io/t': 'h-team-a-1234abcd' });
  assert.equal(body.spec?.additionalPodMetadata?.annotations?.['sandgate.io/tenant'], 'team/a');
});

const claim = (status: SandboxClaim['status'], extra: Partial<NonNullable<SandboxClaim['metadata']>> = {}): SandboxClaim => ({ metadata: { name: 'sg-a', uid: 'u1', ...extra }, ...(status ? { status } : {}) });
const ready = (s: 'True' | 'False', reason: string, message = '') => ({ type: 'Ready', status: s, reason, message });

test('claim states: ready needs Ready=True and a pod IP; terminal reasons; Finished; deleting; pending', () => {
  assert.deepEqual(claimState(claim({ conditions: [ready('True', 'DependenciesReady')], sandbox: { name: 'pool-x', podIPs: ['10.1.2.3'] } })), { kind: 'ready', host: '10.1.2.3' });
  assert.equal(claimState(claim({ conditions: [ready('True', 'DependenciesReady')] })).kind, 'pending');
  assert.deepEqual(claimState(claim({ conditions: [ready('False', 'WarmPoolNotFound', 'SandboxWarmPool "p" not found')] })), { kind: 'terminal', reason: 'WarmPoolNotFound', message: 'SandboxWarmPool "p" not found' });
  assert.equal(claimState(claim({ conditions: [ready('False', 'InvalidMetadata')] })).kind, 'terminal');
  assert.equal(claimState(claim({ conditions: [ready('False', 'DependenciesNotReady'), { type: 'Finished', status: 'True', reason: 'PodFailed' }] })).kind, 'terminal');
  assert.deepEqual(claimState(claim({ conditions: [ready('False', 'DependenciesNotReady', 'Pod is Running but not Ready')] })), { kind: 'pending', reason: 'DependenciesNotReady: Pod is Running but not Ready' });
  assert.equal(claimState(claim(undefined)).kind, 'pending');
  assert.equal(claimState(claim({ conditions: [ready('True', 'x')], sandbox: { podIPs: ['1.1.1.1'] } }, { deletionTimestamp: new Date() })).kind, 'deleting');
});
