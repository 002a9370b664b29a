/**
 * Proves a rendered RBAC set sufficient and minimal on the real API server: the chart's ServiceAccount,
 * Roles, ClusterRoles and bindings are created under fresh names (optionally with one verb removed), a
 * TokenRequest gives the ServiceAccount's token, and the caller runs the gateway's Kubernetes steps with a
 * kubeconfig holding only that token. Cluster-scoped objects it made are deleted on close().
 */
import { join } from 'node:path';
import { AuthorizationV1Api, KubeConfig, type KubernetesObject, type V1PolicyRule, type V1ResourceAttributes } from '@kubernetes/client-node';
import { RUN_DIR, uniqueName, type TestCluster } from '../cluster.js';

export const RBAC_KINDS = ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

interface RoleDoc extends KubernetesObject {
  rules: V1PolicyRule[];
}
interface BindingDoc extends KubernetesObject {
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

/** One verb of one rule of one (Cluster)Role, identified by the role's position among the rendered roles. */
export interface Drop {
  role: number;
  rule: number;
  verb: string;
  resource: string;
  where: string;
}

/**
 * The API server's refusal of exactly this verb on this resource. A refused WATCH surfaces only as
 * "Forbidden" from the watch stream, so there the caller's message must name the resource (singular or plural).
 */
export function refusal(drop: Drop): RegExp {
  return drop.verb === 'watch' ? new RegExp(`${drop.resource.replace(/s$/, '')}.*(Forbidden|cannot watch)`) : new RegExp(`cannot ${drop.verb} resource "${drop.resource}"`);
}

export class RbacProof {
  private readonly rbac: KubernetesObject[];
  private readonly clusterScoped: { kind: string; name: string }[] = [];

  /** `rendered`: the chart's output for release namespace `namespace` (other kinds are ignored). */
  constructor(
    private readonly cluster: TestCluster,
    private readonly namespace: string,
    rendered: KubernetesObject[],
  ) {
    this.rbac = rendered.filter((d) => RBAC_KINDS.includes(d.kind ?? ''));
  }

  private get roles(): RoleDoc[] {
    return this.rbac.filter((d): d is RoleDoc => d.kind === 'Role' || d.kind === 'ClusterRole');
  }

  /** Human-readable rules per role, e.g. "Role in ns: extensions.agents.x-k8s.io/sandboxclaims create,list". */
  rules(): string[] {
    return this.roles.flatMap((r) => r.rules.map((rule) => `${r.kind}: ${(rule.apiGroups ?? []).join(',')}/${(rule.resources ?? []).join(',')} ${rule.verbs.join(',')}`));
  }

  /** Every single verb that can be removed. */
  variants(): Drop[] {
    return this.roles.flatMap((r, role) =>
      r.rules.flatMap((rule, i) => rule.verbs.map((verb) => ({ role, rule: i, verb, resource: rule.resources?.[0] ?? '', where: `${r.kind}${r.metadata?.namespace ? ` in ${r.metadata.namespace}` : ''}` }))),
    );
  }

  /** Creates the RBAC under fresh names (without `drop`'s verb) and returns a kubeconfig with only the ServiceAccount's token. */
  async kubeConfig(drop?: Drop): Promise<KubeConfig> {
    const suffix = uniqueName('x').slice(2);
    const rename = (name: string | undefined) => `${name ?? ''}-${suffix}`.slice(0, 253);
    let roleIndex = -1;
    let sa = '';
    for (const doc of this.rbac) {
      const body = { ...doc, metadata: { ...doc.metadata, name: rename(doc.metadata?.name) } } as KubernetesObject;
      if (doc.kind === 'ServiceAccount') sa = body.metadata?.name ?? '';
      if (doc.kind === 'Role' || doc.kind === 'ClusterRole') {
        roleIndex += 1;
        const index = roleIndex;
        const role = body as RoleDoc;
        // A rule left without verbs is invalid: it goes entirely.
        if (drop && drop.role === index) role.rules = role.rules.map((r, i) => (i === drop.rule ? { ...r, verbs: r.verbs.filter((v) => v !== drop.verb) } : r)).filter((r) => r.verbs.length > 0);
      }
      if (doc.kind === 'RoleBinding' || doc.kind === 'ClusterRoleBinding') {
        const binding = body as BindingDoc;
        binding.roleRef = { ...binding.roleRef, name: rename(binding.roleRef.name) };
        binding.subjects = binding.subjects.map((s) => ({ ...s, name: rename(s.name) }));
      }
      await this.cluster.objects.create(body);
      if (doc.kind?.startsWith('Cluster')) this.clusterScoped.push({ kind: doc.kind, name: body.metadata?.name ?? '' });
    }
    if (!sa) throw new Error('the rendered objects have no ServiceAccount');
    await this.visible(sa, drop);
    return serviceAccountKubeConfig(this.cluster, this.namespace, sa);
  }

  /**
   * The authorizer reads RBAC from its own cache: wait (bounded) until every new role grants the account
   * a verb it keeps, so a refusal afterwards is the missing verb, not propagation.
   */
  private async visible(sa: string, drop: Drop | undefined): Promise<void> {
    for (const [index, role] of this.roles.entries()) {
      const rules = role.rules.map((r, i) => (drop?.role === index && drop.rule === i ? { ...r, verbs: r.verbs.filter((v) => v !== drop.verb) } : r));
      const rule = rules.find((r) => r.verbs.length > 0);
      if (rule) await whenAllowed(this.cluster, this.namespace, sa, ruleAttributes(role.metadata?.namespace ?? this.namespace, rule));
    }
  }

  async close(): Promise<void> {
    for (const { kind, name } of this.clusterScoped.splice(0)) {
      await this.cluster.objects.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name } }).catch(() => undefined);
    }
  }
}

/** A kubeconfig for the test control plane holding only the ServiceAccount's token (TokenRequest, 1 h). */
export async function serviceAccountKubeConfig(cluster: TestCluster, namespace: string, sa: string): Promise<KubeConfig> {
  const token = (await cluster.core.createNamespacedServiceAccountToken({ name: sa, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } })).status?.token ?? '';
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: cluster.kc.getCurrentCluster()?.server ?? '', caFile: join(RUN_DIR, 'pki/ca.crt') }],
    users: [{ name: sa, token }],
    contexts: [{ name: 'test', cluster: 'test', user: sa, namespace }],
    currentContext: 'test',
  });
  return kc;
}

/** The access a rule's first verb on its first resource (`pods/log`: resource and subresource) asks for. */
export function ruleAttributes(namespace: string, rule: V1PolicyRule): V1ResourceAttributes {
  const [resource = '', subresource] = (rule.resources?.[0] ?? '').split('/');
  return { namespace, group: rule.apiGroups?.[0] ?? '', resource, ...(subresource ? { subresource } : {}), verb: rule.verbs[0] ?? '' };
}

/**
 * The authorizer reads RBAC from its own cache, which has no watch a client can follow: asks (bounded,
 * 50 ms apart) until the ServiceAccount may do `attrs`, so a refusal afterwards is the rule, not propagation.
 */
export async function whenAllowed(cluster: TestCluster, namespace: string, sa: string, attrs: V1ResourceAttributes): Promise<void> {
  const authz = cluster.kc.makeApiClient(AuthorizationV1Api);
  for (let i = 0; i < 100; i++) {
    const review = await authz.createSubjectAccessReview({ body: { spec: { user: `system:serviceaccount:${namespace}:${sa}`, resourceAttributes: attrs } } });
    if (review.status?.allowed === true) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`RBAC for ${sa} never became visible (${attrs.verb} ${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''})`);
}
