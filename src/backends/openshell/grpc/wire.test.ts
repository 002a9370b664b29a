import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, endpointId, MANAGED_BY_LABEL, ownedTenant, ownerSelector, sandboxState, TENANT_ANNOTATION, TENANT_LABEL, type Phase, type Sandbox } from './wire.js';

function sandbox(phase: Phase, extra: Partial<{ labels: Record<string, string>; annotations: Record<string, string>; conditions: Sandbox['status'] extends infer S ? S extends { conditions: infer C } ? C : never : never; exit: number; deleting: boolean }> = {}): Sandbox {
  return {
    metadata: { id: 'id-1', name: 'sg-a', created_at_ms: '1', labels: extra.labels ?? {}, annotations: extra.annotations ?? {}, resource_version: '7', deletion_timestamp_ms: extra.deleting ? '5' : '0' },
    spec: null,
    status: { phase, conditions: extra.conditions ?? [], ...(extra.exit !== undefined ? { exit_code: extra.exit } : {}) },
  };
}

test('createRequest: deterministic name, owner + tenant labels, full tenant in an annotation, runtime on loopback with the secret', () => {
  const req = createRequest({ name: 'sg-x', tenant: 'Alice@example.com', image: 'sandgate:1', port: 9222, secret: 's'.repeat(20), gatewayId: 'gw' });
  assert.equal(req.labels[MANAGED_BY_LABEL], 'gw');
  assert.match(req.labels[TENANT_LABEL] ?? '', /^h-/); // not a valid label value as is: shortened with a hash
  assert.equal(req.annotations[TENANT_ANNOTATION], 'Alice@example.com');
  assert.deepEqual(req.spec.command, ['sandgate', 'sandbox', '--host', '127.0.0.1', '--port', '9222']);
  assert.equal(req.spec.environment.SANDGATE_SANDBOX_SECRET, 's'.repeat(20));
  assert.equal(req.spec.template.image, 'sandgate:1');
  assert.equal(ownerSelector({ gatewayId: 'gw' }), `${MANAGED_BY_LABEL}=gw`);
});

test('ownedTenant: only our gateway label with a matching tenant label and annotation', () => {
  const req = createRequest({ name: 'sg-x', tenant: 'bob', image: 'i', port: 1, secret: 's', gatewayId: 'gw' });
  assert.equal(ownedTenant(sandbox('SANDBOX_PHASE_READY', { labels: req.labels, annotations: req.annotations }), { gatewayId: 'gw' }), 'bob');
  assert.equal(ownedTenant(sandbox('SANDBOX_PHASE_READY', { labels: req.labels, annotations: req.annotations }), { gatewayId: 'other' }), undefined);
  assert.equal(ownedTenant(sandbox('SANDBOX_PHASE_READY', { labels: req.labels, annotations: { [TENANT_ANNOTATION]: 'eve' } }), { gatewayId: 'gw' }), undefined);
  assert.equal(ownedTenant(sandbox('SANDBOX_PHASE_READY'), { gatewayId: 'gw' }), undefined);
});

test('sandboxState maps every phase', () => {
  assert.deepEqual(sandboxState(sandbox('SANDBOX_PHASE_READY')), { kind: 'ready' });
  for (const p of ['SANDBOX_PHASE_PROVISIONING', 'SANDBOX_PHASE_STARTING', 'SANDBOX_PHASE_UNKNOWN', 'SANDBOX_PHASE_UNSPECIFIED'] as const) assert.equal(sandboxState(sandbox(p)).kind, 'pending', p);
  assert.deepEqual(sandboxState(sandbox('SANDBOX_PHASE_STOPPING')), { kind: 'stopped', phase: 'SANDBOX_PHASE_STOPPING' });
  assert.deepEqual(sandboxState(sandbox('SANDBOX_PHASE_STOPPED')), { kind: 'stopped', phase: 'SANDBOX_PHASE_STOPPED' });
  assert.deepEqual(sandboxState(sandbox('SANDBOX_PHASE_DELETING')), { kind: 'deleting' });
  assert.deepEqual(sandboxState(sandbox('SANDBOX_PHASE_READY', { deleting: true })), { kind: 'deleting' });
});

test('ERROR carries the failing condition and the exit code', () => {
  const pull = sandboxState(sandbox('SANDBOX_PHASE_ERROR', { conditions: [{ type: 'Ready', status: 'False', reason: 'ImagePullBackOff', message: 'no such image' }] }));
  assert.deepEqual(pull, { kind: 'error', reason: 'ImagePullBackOff', message: 'no such image' });
  const exited = sandboxState(sandbox('SANDBOX_PHASE_ERROR', { exit: 127 }));
  assert.deepEqual(exited, { kind: 'error', reason: 'MainProcessExited', message: 'exit code 127' });
  assert.deepEqual(sandboxState(sandbox('SANDBOX_PHASE_ERROR')), { kind: 'error', reason: 'Error', message: 'no reason given' });
});

test('endpointId changes with the incarnation', () => {
  assert.equal(endpointId(sandbox('SANDBOX_PHASE_READY')), 'id-1@7');
});
