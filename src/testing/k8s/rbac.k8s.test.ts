/**
 * The chart's RBAC for agent-sandbox + pod-label identity is minimal and sufficient: the ServiceAccount,
 * Role and RoleBinding rendered by `helm template` from deploy/examples/agent-sandbox/values.yaml are
 * applied on the real API server and the gateway runs under that ServiceAccount's token; with any single
 * verb removed the step that needs it fails with the API server's refusal of exactly that verb.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AuthorizationV1Api, CoreV1Api, KubeConfig, type KubernetesObject, type V1PolicyRule } from '@kubernetes/client-node';
import { labelValue } from '../../kube/names.js';
import { podLabelIdentity } from '../../identity/pod-label.js';
import { chromiumSkip } from '../prereq.js';
import { k8sSkip, RUN_DIR, uniqueName } from './cluster.js';
import { helmSkip, helmTemplate } from './helm.js';
import { AgentSandboxFixture, TENANT_LABEL } from '../../backends/agent-sandbox/fixture.js';

const skip = k8sSkip() || chromiumSkip() || helmSkip();
const RBAC_KINDS = ['ServiceAccount', 'Role', 'RoleBinding'];
const never = () => new AbortController().signal;

interface Role extends KubernetesObject {
  rules: V1PolicyRule[];
}

describe("RBAC: the chart's agent-sandbox Role has exactly the verbs the gateway uses", { skip, timeout: 600_000 }, () => {
  const fx = new AgentSandboxFixture();
  let core: CoreV1Api;
  let rules: V1PolicyRule[] = [];
  let rendered: KubernetesObject[] = [];

  before(async () => {
    await fx.start('rbac', 1);
    rendered = helmTemplate({ namespace: fx.namespace, valuesFiles: ['deploy/examples/agent-sandbox/values.yaml'] }).filter((d) => RBAC_KINDS.includes(d.kind ?? ''));
    assert.deepEqual(rendered.map((d) => d.kind).sort(), [...RBAC_KINDS].sort(), 'the chart renders one ServiceAccount, Role and RoleBinding');
    core = fx.cluster.kc.makeApiClient(CoreV1Api);
  });
  after(() => fx.close());

  /** Applies the rendered RBAC under fresh names, optionally without one verb; returns a kubeconfig with the SA's token. */
  async function serviceAccount(drop?: { rule: number; verb: string }): Promise<KubeConfig> {
    const suffix = uniqueName('x').slice(2);
    let granted: V1PolicyRule[] = [];
    const rename = (name: unknown) => `${String(name)}-${suffix}`;
    await fx.cluster.applyObjects(rendered, fx.namespace, (doc) => {
      const named = { ...doc, metadata: { ...doc.metadata, name: rename(doc.metadata?.name) } };
      if (doc.kind === 'Role') {
        const role = named as Role;
        rules = role.rules;
        if (drop) role.rules = role.rules.map((r, i) => (i === drop.rule ? { ...r, verbs: r.verbs.filter((v) => v !== drop.verb) } : r));
        granted = role.rules;
        return role;
      }
      if (doc.kind === 'RoleBinding') {
        const binding = named as KubernetesObject & { roleRef: { name: string }; subjects: { name: string }[] };
        return { ...binding, roleRef: { ...binding.roleRef, name: rename(binding.roleRef.name) }, subjects: binding.subjects.map((s) => ({ ...s, name: rename(s.name) })) } as KubernetesObject;
      }
      return named;
    });
    const sa = rename(rendered.find((d) => d.kind === 'ServiceAccount')?.metadata?.name);
    const token = (await core.createNamespacedServiceAccountToken({ name: sa, namespace: fx.namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } })).status?.token ?? '';
    await rbacVisible(sa, granted);
    const kc = new KubeConfig();
    const server = fx.cluster.kc.getCurrentCluster()?.server ?? '';
    kc.loadFromOptions({
      clusters: [{ name: 'test', server, caFile: join(RUN_DIR, 'pki/ca.crt') }],
      users: [{ name: sa, token }],
      contexts: [{ name: 'test', cluster: 'test', user: sa, namespace: fx.namespace }],
      currentContext: 'test',
    });
    return kc;
  }

  /**
   * The authorizer reads Roles from its own cache: wait (bounded) until it grants the new account a verb
   * its Role keeps, so a refusal below is the missing verb, not propagation.
   */
  async function rbacVisible(sa: string, granted: V1PolicyRule[]): Promise<void> {
    const authz = fx.cluster.kc.makeApiClient(AuthorizationV1Api);
    const rule = granted.find((r) => r.verbs.length > 0);
    const probe = { namespace: fx.namespace, group: rule?.apiGroups?.[0] ?? '', resource: rule?.resources?.[0] ?? '', verb: rule?.verbs[0] ?? '' };
    for (let i = 0; i < 100; i++) {
      const review = await authz.createSubjectAccessReview({
        body: { spec: { user: `system:serviceaccount:${fx.namespace}:${sa}`, resourceAttributes: probe } },
      });
      if (review.status?.allowed) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`RBAC for ${sa} never became visible`);
  }

  /** Everything the gateway does on Kubernetes, in order; returns the first refusal's message. */
  async function gateway(kc: KubeConfig): Promise<string | undefined> {
    const identity = podLabelIdentity({ kubeConfig: kc, namespaces: [fx.namespace], labelKey: TENANT_LABEL, missWaitMs: 5000 });
    const backend = fx.backend({ gatewayId: 'gw-rbac' }, kc);
    try {
      await identity.start?.();
      await backend.start();
      const endpoint = await backend.ensure('rbac-tenant', { signal: never() });
      assert.equal((await backend.list()).length, 1);
      assert.equal(await identity.index.waitFor(endpoint.host, 5000), labelValue('rbac-tenant'));
      await backend.release('rbac-tenant');
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      await identity.close?.();
      await backend.close().catch(() => undefined);
      await fx.backend({ gatewayId: 'gw-rbac' }, fx.cluster.kc).release('rbac-tenant'); // as admin: leave nothing behind
    }
  }

  test('with the manifest as written, the gateway works under the ServiceAccount token', async () => {
    assert.equal(await gateway(await serviceAccount()), undefined);
  });

  test('removing any one verb breaks the step that needs it', async () => {
    const variants = rules.flatMap((r, rule) => r.verbs.map((verb) => ({ rule, verb, resource: r.resources?.[0] ?? '' })));
    assert.equal(variants.length, 6, 'sandboxclaims create/list/watch/delete, pods list/watch');
    for (const v of variants) {
      const failure = await gateway(await serviceAccount(v));
      assert.ok(failure, `without ${v.verb} ${v.resource} the gateway still worked: the verb is not needed`);
      const refused = v.verb === 'watch' ? new RegExp(`${v.resource}.*(Forbidden|cannot watch)`) : new RegExp(`cannot ${v.verb} resource "${v.resource}"`);
      assert.match(failure, refused, `without ${v.verb} ${v.resource}`);
    }
  });
});
