/**
 * Log collection through the real kube-apiserver: pods labelled as Argo Rollouts labels them
 * (`rollouts-pod-template-hash`), their logs served by the test node agent's kubelet log API behind the
 * API server's pods/log path, read by ClientNodeKube under a ServiceAccount that has only the analyzer's
 * RBAC (deploy/rollouts/service.yaml). Then end to end: a panicking canary is rolled back, a healthy one
 * promoted, by the statistical judge.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RbacAuthorizationV1Api, type KubeConfig, type V1PolicyRule } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { k8sSkip, REPO_ROOT } from '../../testing/k8s/cluster.js';
import { ruleAttributes, serviceAccountKubeConfig, whenAllowed } from '../../testing/k8s/rbac/proof.js';
import { LogPods } from '../../testing/k8s/log-pods.js';
import { Analyzer } from '../analysis/analyzer.js';
import { loadRolloutsConfig } from '../config/load.js';
import { collectLogs } from '../evidence/collect.js';
import { LEAKED_TOKEN, LAST_REQUEST, demoPods, hashLabels, podName, serving } from '../testing/demo-pods.js';
import { ClientNodeKube } from './client-node.js';

const skip = k8sSkip();
const HASH = { stable: '6d4f7c9b8', panicking: '7a8b9c0d1', healthy: '5c6d7e8f9' };

/** The analyzer's RBAC rules from the shipped manifest (its ClusterRole), granted as a Role here. */
function shippedRules(): V1PolicyRule[] {
  const docs = parseAllDocuments(readFileSync(join(REPO_ROOT, 'deploy/rollouts/service.yaml'), 'utf8')).map((d) => d.toJS() as { kind?: string; rules?: V1PolicyRule[] });
  const role = docs.find((d) => d.kind === 'ClusterRole');
  assert.ok(role?.rules);
  return role.rules;
}

describe('rollout log collection through the real API server', { skip, timeout: 180_000 }, () => {
  const fx = new LogPods();
  let kube: ClientNodeKube;

  /** A ServiceAccount bound to `rules` in the test namespace; a kubeconfig with its token. */
  async function serviceAccount(name: string, rules: V1PolicyRule[]): Promise<KubeConfig> {
    const ns = fx.namespace;
    const rbac = fx.cluster.kc.makeApiClient(RbacAuthorizationV1Api);
    await fx.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name } } });
    await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name }, rules } });
    await rbac.createNamespacedRoleBinding({ namespace: ns, body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace: ns }] } });
    for (const rule of rules) await whenAllowed(fx.cluster, ns, name, ruleAttributes(ns, rule));
    return serviceAccountKubeConfig(fx.cluster, ns, name);
  }

  const target = (canary: string) => ({ namespace: fx.namespace, rollout: 'rollouts-demo', stableSelector: `rollouts-pod-template-hash=${HASH.stable}`, canarySelector: `rollouts-pod-template-hash=${canary}` });

  before(async () => {
    await fx.start('rollouts');
    // a multi-container stable pod (app + proxy sidecar), the rest from the demo set
    await fx.create(podName(HASH.stable, 'a'), hashLabels(HASH.stable), [{ name: 'app', script: serving('blue') }, { name: 'proxy', script: [{ print: 'envoy: all clusters initialized' }] }]);
    await fx.create(podName(HASH.stable, 'b'), hashLabels(HASH.stable), [{ name: 'app', script: serving('blue') }]);
    // early lines, then one line every 200 ms: a since-window of 1 s sees only the recent ones
    await fx.create('late-logger', { app: 'window' }, [{ name: 'app', script: [{ print: 'early {i}', times: 10 }, { sleepMs: 1500 }, { print: 'late {i}', times: 100_000, everyMs: 200 }] }]);
    await demoPods(fx, { healthy: [HASH.healthy], panicking: [HASH.panicking] });
    for (const n of ['a', 'b']) await fx.follow(podName(HASH.stable, n), 'app', LAST_REQUEST);
    await fx.follow('late-logger', 'app', /late 2\n/);
    kube = new ClientNodeKube(await serviceAccount('rollouts-reader', shippedRules()));
  });
  after(() => fx.close());

  test('every stable and canary pod and every container is read; the crash comes from the previous instance', async () => {
    const out = await collectLogs(kube, target(HASH.panicking), { tailLines: 2000, sinceSeconds: 900, limitBytes: 1 << 20, previousLogs: true });
    const pods = out.pods.map((p) => ({ name: p.name, side: p.side, containers: p.containers, unreadable: p.unreadable }));
    assert.deepEqual(pods.sort((a, b) => a.name.localeCompare(b.name)), [
      { name: `rollouts-demo-${HASH.stable}-a`, side: 'stable', containers: ['app', 'proxy'], unreadable: [] },
      { name: `rollouts-demo-${HASH.stable}-b`, side: 'stable', containers: ['app'], unreadable: [] },
      { name: `rollouts-demo-${HASH.panicking}-a`, side: 'canary', containers: ['app'], unreadable: [] },
      { name: `rollouts-demo-${HASH.panicking}-b`, side: 'canary', containers: ['app'], unreadable: [] },
    ]);
    assert.deepEqual(out.notes, []);
    const byName = new Map(out.pods.map((p) => [p.name, p]));
    assert.equal(byName.get(`rollouts-demo-${HASH.stable}-a`)?.lines, 42, 'app: start + 40 requests, proxy: 1');
    assert.equal(byName.get(`rollouts-demo-${HASH.stable}-b`)?.lines, 41);
    for (const side of ['a', 'b']) {
      const canary = byName.get(`rollouts-demo-${HASH.panicking}-${side}`);
      assert.ok(canary && canary.restarts >= 1 && canary.panic >= 1, JSON.stringify(canary));
    }
    const requests = out.templates.find((t) => t.example.startsWith('GET /color 200 - blue'));
    assert.ok(requests, 'request lines folded into one template');
    assert.deepEqual([requests.count.stable, requests.pods.stable], [80, 2]);
  });

  test('redaction happens before anything leaves: no e-mail address or token in templates or examples', async () => {
    const out = await collectLogs(kube, target(HASH.panicking), { tailLines: 2000, sinceSeconds: 0, limitBytes: 0, previousLogs: true });
    const text = JSON.stringify(out);
    assert.doesNotMatch(text, /alice@example\.com/);
    assert.ok(!text.includes(LEAKED_TOKEN));
    const login = out.templates.find((t) => t.example.startsWith('login ok for'));
    assert.ok(login, 'the login line is kept, redacted');
    assert.match(login.example, /REDACTED/);
    assert.ok(out.templates.some((t) => t.kind === 'panic' && t.count.canary >= 2 && t.count.stable === 0));
  });

  test('tailLines limits each container; the since-window drops older lines', async () => {
    const tailed = await collectLogs(kube, target(HASH.healthy), { tailLines: 5, sinceSeconds: 0, limitBytes: 0, previousLogs: true });
    assert.deepEqual(tailed.pods.map((p) => [p.name, p.lines]).sort(), [
      [`rollouts-demo-${HASH.healthy}-a`, 5], [`rollouts-demo-${HASH.healthy}-b`, 5],
      [`rollouts-demo-${HASH.stable}-a`, 6], [`rollouts-demo-${HASH.stable}-b`, 5],
    ]);
    const windowed = await collectLogs(kube, { ...target(HASH.healthy), canarySelector: 'app=window' }, { tailLines: 0, sinceSeconds: 1, limitBytes: 0, previousLogs: true });
    const late = windowed.pods.find((p) => p.name === 'late-logger')?.lines ?? 0;
    assert.ok(late >= 3 && late <= 7, `about 5 lines in the last second, read ${late}`);
    assert.ok(!windowed.templates.some((t) => t.example.startsWith('early')), 'the early lines are outside the window');
    const all = await collectLogs(kube, { ...target(HASH.healthy), canarySelector: 'app=window' }, { tailLines: 0, sinceSeconds: 0, limitBytes: 0, previousLogs: true });
    assert.ok((all.pods.find((p) => p.name === 'late-logger')?.lines ?? 0) >= 13);
    assert.ok(all.templates.some((t) => t.example.startsWith('early')));
  });

  test('without pods/log in the Role the logs are unreadable (noted with the code), pods still listed', async () => {
    const noLogs = new ClientNodeKube(await serviceAccount('pods-only', shippedRules().filter((r) => !r.resources?.includes('pods/log'))));
    const out = await collectLogs(noLogs, target(HASH.healthy), { tailLines: 10, sinceSeconds: 0, limitBytes: 0, previousLogs: false });
    assert.equal(out.pods.length, 4);
    assert.ok(out.pods.every((p) => p.unreadable.length === p.containers.length && p.unreadable.every((u) => u.endsWith('SG_ROLLOUT_KUBE_FAILED'))));
    await assert.rejects(noLogs.readLog(fx.namespace, `rollouts-demo-${HASH.healthy}-a`, 'app', {}), /403.*cannot get resource "pods\/log"/);
  });

  test('end to end: a panicking canary is rolled back, a healthy one promoted (statistical judge)', async () => {
    const analyzer = new Analyzer(loadRolloutsConfig({ env: {}, flags: { namespace: fx.namespace, judge: 'statistical' } }), { kube });
    const req = (canaryHash: string) => ({ rollout: 'rollouts-demo', stableHash: HASH.stable, canaryHash });
    const bad = await analyzer.analyze(req(HASH.panicking));
    assert.equal(bad.decision.verdict, 'rollback', bad.decision.summary);
    assert.match(bad.decision.causeKey, /^panic: runtime error: index out of range/);
    const good = await analyzer.analyze(req(HASH.healthy));
    assert.equal(good.decision.verdict, 'promote', good.decision.summary);
    assert.equal(good.evidence?.pods.length, 4);
  });
});
