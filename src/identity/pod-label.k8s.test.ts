/**
 * pod-label identity against the real API server: callers are real TCP clients bound to distinct
 * loopback addresses (localAddress), each standing for a pod whose status the test writes as a kubelet.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { isSandgateError } from '../errors/errors.js';
import { k8sSkip, TestCluster } from '../testing/k8s/cluster.js';
import { podLabelIdentity, type PodLabelIdentity } from './pod-label.js';

const skip = k8sSkip();
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const block = 100 + Math.floor(Math.random() * 100);
const ip = (n: number) => `127.250.${block}.${n}`;

describe('pod-label identity on a real API server', { skip, timeout: 120_000 }, () => {
  const cluster = new TestCluster();
  let core: CoreV1Api;
  let ns: string;
  let identity: PodLabelIdentity;
  let server: http.Server;
  let port: number;

  /** GET / from `from`: the tenant, or the refusal code + message. */
  const ask = (from: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', localAddress: from, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });

  const pod = async (name: string, labels: Record<string, string>, podIP?: string) => {
    await core.createNamespacedPod({ namespace: ns, body: { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'client' }] } } });
    if (podIP) await setIP(name, podIP);
  };
  const setIP = (name: string, podIP: string) =>
    core.patchNamespacedPodStatus({ name, namespace: ns, body: { status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }], startTime: new Date() } } }, merge);
  const relabel = (name: string, labels: Record<string, string | null>) => core.patchNamespacedPod({ name, namespace: ns, body: { metadata: { labels } } }, merge);
  const remove = (name: string) => core.deleteNamespacedPod({ name, namespace: ns, body: { gracePeriodSeconds: 0 } });
  /** Asks until the informer has caught up (each ask itself waits for the informer on a miss). */
  const eventually = async (from: string, want: (r: { status: number; body: string }) => boolean) => {
    for (let i = 0; i < 50; i++) {
      const r = await ask(from);
      if (want(r)) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    return ask(from);
  };

  before(async () => {
    core = cluster.kc.makeApiClient(CoreV1Api);
    ns = await cluster.namespace('identity');
    identity = podLabelIdentity({ kubeConfig: cluster.kc, namespaces: [ns], labelKey: 'playwright-id', missWaitMs: 1500 });
    await identity.start?.();
    server = http.createServer((req, res) => {
      Promise.resolve(identity.identify(req, new URL(req.url ?? '/', 'http://gw'))).then(
        (id) => res.end(id.tenant),
        (err: unknown) => {
          res.statusCode = isSandgateError(err) ? err.status : 500;
          res.end(isSandgateError(err) ? `${err.code}: ${err.message}` : String(err));
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server?.close();
    await identity?.close?.();
    await cluster.close();
  });

  test('a labelled pod is identified by its IP; two pods are two tenants', async () => {
    await pod('alice', { 'playwright-id': 'alice' }, ip(1));
    await pod('bob', { 'playwright-id': 'bob' }, ip(2));
    assert.deepEqual(await ask(ip(1)), { status: 200, body: 'alice' });
    assert.deepEqual(await ask(ip(2)), { status: 200, body: 'bob' });
  });

  test('an unknown or unlabelled caller gets 403 with the reason, after a bounded wait', async () => {
    await pod('nolabel', { app: 'x' }, ip(3));
    const started = Date.now();
    const r = await ask(ip(3));
    assert.equal(r.status, 403);
    assert.match(r.body, /^SG_IDENTITY_FORBIDDEN: no running pod labelled playwright-id has the caller's address 127\.250\./);
    assert.ok(Date.now() - started >= 1400 && Date.now() - started < 5000);
  });

  test('a miss waits for the informer: a pod that appears while the request waits is identified', async () => {
    const pending = ask(ip(4));
    await pod('late', { 'playwright-id': 'late' }, ip(4));
    assert.deepEqual(await pending, { status: 200, body: 'late' });
  });

  test('label changes and label removal are followed', async () => {
    await relabel('alice', { 'playwright-id': 'alice-2' });
    assert.equal((await eventually(ip(1), (r) => r.body === 'alice-2')).body, 'alice-2');
    await relabel('alice', { 'playwright-id': null });
    assert.equal((await eventually(ip(1), (r) => r.status === 403)).status, 403);
  });

  test('IP reuse: after a pod is deleted its IP maps to the new pod that got it', async () => {
    await remove('bob');
    assert.equal((await eventually(ip(2), (r) => r.status === 403)).status, 403);
    await pod('carol', { 'playwright-id': 'carol' }, ip(2));
    assert.deepEqual(await ask(ip(2)), { status: 200, body: 'carol' });
    await setIP('carol', ip(5));
    assert.equal((await eventually(ip(2), (r) => r.status === 403)).status, 403);
    assert.deepEqual(await ask(ip(5)), { status: 200, body: 'carol' });
  });
});
