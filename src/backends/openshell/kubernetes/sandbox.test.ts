import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podSpec, sandboxBody, sandboxKind, sandboxState, type Sandbox } from './sandbox.js';

const pod = { image: 'registry.example/sandgate:1.0', port: 9333, secretName: 'sg-secret' };
const ctx = (version: string) => ({
  apiVersion: `agents.x-k8s.io/${version}`,
  version,
  metadata: { name: 'sg-a', namespace: 'ns', labels: { 'sandgate.io/gateway': 'gw' }, annotations: { 'sandgate.io/tenant': 'team/a' } },
  tenant: 'team/a',
  podLabels: { 'sandbox.users.io/t': 'h-team-a-1234abcd' },
  podAnnotations: { 'sandgate.io/tenant': 'team/a' },
});

test('the Sandbox body runs the runtime image on the port with the secret from the Secret, pod labelled with the tenant', () => {
  const body = sandboxBody(ctx('v1beta1'), pod);
  assert.equal(body.apiVersion, 'agents.x-k8s.io/v1beta1');
  assert.equal(body.spec?.operatingMode, 'Running');
  assert.equal(body.spec?.replicas, undefined);
  assert.deepEqual(body.spec?.podTemplate?.metadata?.labels, { 'app.kubernetes.io/name': 'sandgate-sandbox', 'sandbox.users.io/t': 'h-team-a-1234abcd' });
  assert.equal(body.spec?.podTemplate?.metadata?.annotations?.['sandgate.io/tenant'], 'team/a');
  const c = podSpec(pod).containers[0];
  assert.equal(c?.image, pod.image);
  assert.deepEqual(c?.args, ['sandbox', '--port', '9333']);
  assert.equal(c?.ports?.[0]?.containerPort, 9333);
  assert.deepEqual(c?.env?.find((e) => e.name === 'SANDGATE_SANDBOX_SECRET')?.valueFrom?.secretKeyRef, { name: 'sg-secret', key: 'SANDGATE_SANDBOX_SECRET' });
  assert.equal(c?.readinessProbe?.httpGet?.port, 9333);
  const alpha = sandboxBody(ctx('v1alpha1'), pod);
  assert.equal(alpha.spec?.replicas, 1);
  assert.equal(alpha.spec?.operatingMode, undefined);
});

test('suspend/resume patch operatingMode on v1beta1 and replicas on v1alpha1', () => {
  const kind = sandboxKind(pod);
  assert.deepEqual(kind.suspendPatch?.('v1beta1'), { spec: { operatingMode: 'Suspended' } });
  assert.deepEqual(kind.resumePatch?.('v1beta1'), { spec: { operatingMode: 'Running' } });
  assert.deepEqual(kind.suspendPatch?.('v1alpha1'), { spec: { replicas: 0 } });
  assert.deepEqual(kind.resumePatch?.('v1alpha1'), { spec: { replicas: 1 } });
  assert.deepEqual(kind.versions, ['v1beta1', 'v1alpha1']);
});

const sb = (spec: Sandbox['spec'], status: Sandbox['status'], deleting = false): Sandbox => ({
  metadata: { name: 'sg-a', uid: 'u', ...(deleting ? { deletionTimestamp: new Date() } : {}) },
  ...(spec ? { spec } : {}),
  ...(status ? { status } : {}),
});
const cond = (type: string, status: 'True' | 'False', reason: string, message = '') => ({ type, status, reason, message });

test('Sandbox states as the controller (v0.5) writes them', () => {
  assert.deepEqual(sandboxState(sb({ operatingMode: 'Running' }, { conditions: [cond('Ready', 'True', 'DependenciesReady')], podIPs: ['10.0.0.7'] })), { kind: 'ready', host: '10.0.0.7' });
  assert.deepEqual(sandboxState(sb({}, { conditions: [cond('Ready', 'False', 'DependenciesNotReady', 'Pod does not exist')] })), { kind: 'pending', reason: 'DependenciesNotReady: Pod does not exist' });
  assert.equal(sandboxState(sb({}, { conditions: [cond('Ready', 'True', 'DependenciesReady')] })).kind, 'pending', 'ready needs a pod IP');
  assert.deepEqual(sandboxState(sb({ operatingMode: 'Suspended' }, { conditions: [cond('Suspended', 'False', 'PodNotTerminated')], podIPs: ['10.0.0.7'] })), { kind: 'suspended', settled: false });
  assert.deepEqual(sandboxState(sb({ operatingMode: 'Suspended' }, { conditions: [cond('Suspended', 'True', 'PodTerminated')] })), { kind: 'suspended', settled: true });
  assert.deepEqual(sandboxState(sb({ replicas: 0 }, { replicas: 0 })), { kind: 'suspended', settled: true });
  assert.equal(sandboxState(sb({}, { conditions: [cond('Finished', 'True', 'PodFailed')] })).kind, 'terminal');
  assert.equal(sandboxState(sb({}, { conditions: [cond('Ready', 'False', 'SandboxExpired')] })).kind, 'terminal');
  const invalid = sandboxState(sb({}, { conditions: [cond('Ready', 'False', 'ReconcilerError', 'Error seen: pod create failed: Pod "sg-a" is invalid: spec.containers[0].image: Required value')] }));
  assert.equal(invalid.kind === 'terminal' && invalid.reason, 'PodInvalid');
  assert.equal(sandboxState(sb({}, { conditions: [cond('Ready', 'False', 'ReconcilerError', 'Error seen: the server is currently unable to handle the request')] })).kind, 'pending', 'transient errors keep waiting');
  assert.equal(sandboxState(sb({ operatingMode: 'Running' }, {}, true)).kind, 'deleting');
});
