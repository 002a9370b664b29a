/** Our minimal KARS and isola CRDs on the real API server: installed idempotently, schemas enforced. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { kubeStatus } from '../../kube/errors.js';
import { k8sSkip, TestCluster } from './cluster.js';
import { installCrds } from './crds.js';

const skip = k8sSkip();
const cluster = new TestCluster();
let namespace = '';

before(async () => {
  if (skip) return;
  await installCrds(cluster.kc, ['kars', 'isola']);
  await installCrds(cluster.kc, ['kars', 'isola']); // a second install leaves them as they are
  namespace = await cluster.namespace('crds');
});
after(async () => {
  if (!skip) await cluster.close();
});

const rejected = async (p: Promise<unknown>, pattern: RegExp) =>
  assert.rejects(p, (err: unknown) => {
    assert.equal(kubeStatus(err), 422);
    assert.match(String((err as { body?: unknown }).body), pattern);
    return true;
  });

test('KarsSandbox: required fields and enums are enforced; a full BYO object is accepted', { skip }, async () => {
  const custom = cluster.kc.makeApiClient(CustomObjectsApi);
  const params = { group: 'kars.azure.com', version: 'v1alpha1', namespace, plural: 'karssandboxes' };
  const spec = {
    runtime: { kind: 'BYO', byo: { image: 'sandgate:latest', contractVersion: 'v1', command: ['sandgate'], args: ['sandbox'], env: [{ name: 'A', value: 'b' }] } },
    sandbox: { isolation: 'standard', runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, writablePaths: ['/tmp'] },
    inferenceRef: { name: 'p' },
  };
  await custom.createNamespacedCustomObject({ ...params, body: { apiVersion: 'kars.azure.com/v1alpha1', kind: 'KarsSandbox', metadata: { name: 'ok' }, spec } });
  await rejected(custom.createNamespacedCustomObject({ ...params, body: { apiVersion: 'kars.azure.com/v1alpha1', kind: 'KarsSandbox', metadata: { name: 'no-ref' }, spec: { ...spec, inferenceRef: undefined } } }), /inferenceRef/);
  await rejected(
    custom.createNamespacedCustomObject({ ...params, body: { apiVersion: 'kars.azure.com/v1alpha1', kind: 'KarsSandbox', metadata: { name: 'v2' }, spec: { ...spec, runtime: { kind: 'BYO', byo: { ...spec.runtime.byo, contractVersion: 'v2' } } } } }),
    /contractVersion/,
  );
  await rejected(custom.createNamespacedCustomObject({ ...params, body: { apiVersion: 'kars.azure.com/v1alpha1', kind: 'KarsSandbox', metadata: { name: 'no-byo' }, spec: { ...spec, runtime: { kind: 'BYO' } } } }), /runtime.byo/);
});

test('isola Sandbox: names over 47 characters and bad CIDRs are refused', { skip }, async () => {
  const custom = cluster.kc.makeApiClient(CustomObjectsApi);
  const params = { group: 'sandbox.isola.run', version: 'v1alpha1', namespace, plural: 'sandboxes' };
  const body = (name: string, cidrs: string[]) => ({
    apiVersion: 'sandbox.isola.run/v1alpha1',
    kind: 'Sandbox',
    metadata: { name },
    spec: { podTemplate: { spec: { containers: [{ name: 'c', image: 'sandgate:latest', command: ['sandgate'] }] } }, network: { allowInternetEgress: false, allowClusterDNS: true, allowedEgressCIDRs: cidrs } },
  });
  await custom.createNamespacedCustomObject({ ...params, body: body('a'.repeat(47), ['10.0.0.0/8']) });
  await rejected(custom.createNamespacedCustomObject({ ...params, body: body('b'.repeat(48), []) }), /47/);
  await rejected(custom.createNamespacedCustomObject({ ...params, body: body('bad-cidr', ['not-a-cidr']) }), /CIDR/);
});
