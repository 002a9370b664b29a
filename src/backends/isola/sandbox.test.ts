import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { IsolaBackend } from './index.js';
import { isolaState, type IsolaSandbox } from './sandbox.js';

const sb = (conditions: { type: string; status: 'True' | 'False'; reason?: string }[], podIP?: string): IsolaSandbox => ({ metadata: { name: 'x' }, status: { conditions, ...(podIP ? { podIP } : {}) } });

test('isola status: Ready + podIP is ready; each documented reason is terminal; the rest waits', () => {
  assert.deepEqual(isolaState(sb([{ type: 'Ready', status: 'True' }], '10.1.2.3')), { kind: 'ready', host: '10.1.2.3' });
  assert.equal(isolaState(sb([{ type: 'Ready', status: 'True' }])).kind, 'pending', 'Ready without podIP');
  for (const reason of ['PodFailed', 'PodSucceeded', 'PodCreationFailed', 'StartupTimeoutExceeded', 'InvalidRuntime']) {
    assert.deepEqual(isolaState(sb([{ type: 'Ready', status: 'False', reason }])), { kind: 'terminal', reason, message: '' });
  }
  assert.equal(isolaState(sb([{ type: 'Ready', status: 'False', reason: 'PodPending' }])).kind, 'pending');
  assert.equal(isolaState({ metadata: { name: 'x', deletionTimestamp: new Date() } }).kind, 'deleting');
});

test('isola names: at most 47 characters, deterministic, distinct', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  const backend = new IsolaBackend({ kubeConfig, namespace: 'isola-sandboxes', sandboxImage: 'sandgate:1', egressCidrs: [], sandboxPort: 9222, sandboxSecret: 's'.repeat(16), gatewayId: 'g', namePrefix: 'sg-', tenantLabelKey: 'sandbox.users.io/t' });
  const long = 'tenant-'.repeat(20);
  assert.ok(backend.objectName(long).length <= 47);
  assert.equal(backend.objectName(long), backend.objectName(long));
  assert.notEqual(backend.objectName(long), backend.objectName(`${long}x`));
  assert.equal(backend.objectName('alice'), 'sg-alice');
});
