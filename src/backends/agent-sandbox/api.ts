/**
 * The SandboxClaim calls the backend makes — exactly these verbs (see deploy/rbac.yaml):
 * create, list, watch, delete on sandboxclaims in one namespace. Nothing else.
 */
import { ApisApi, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { SandgateError } from '../../errors/errors.js';
import { kubeMessage } from '../../kube/errors.js';
import { listWatch, resourcePath, type ListWatch, type Selection } from '../../kube/list-watch.js';
import { CLAIM_GROUP, CLAIM_PLURAL, CLAIM_VERSIONS, type SandboxClaim } from './claim.js';

interface ClaimList {
  items: SandboxClaim[];
  metadata?: { resourceVersion?: string };
}

export class ClaimApi {
  private readonly objects: CustomObjectsApi;
  version: string = CLAIM_VERSIONS[CLAIM_VERSIONS.length - 1] ?? 'v1beta1';

  constructor(
    private readonly kc: KubeConfig,
    readonly namespace: string,
  ) {
    this.objects = kc.makeApiClient(CustomObjectsApi);
  }

  get apiVersion(): string {
    return `${CLAIM_GROUP}/${this.version}`;
  }

  /** Picks v1 when served, else v1beta1; fails when agent-sandbox's extensions are not installed. */
  async discover(): Promise<void> {
    let served: string[] = [];
    try {
      const groups = await this.kc.makeApiClient(ApisApi).getAPIVersions();
      served = groups.groups.find((g) => g.name === CLAIM_GROUP)?.versions.map((v) => v.version) ?? [];
    } catch (err) {
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `Kubernetes API discovery failed: ${kubeMessage(err)}`, { cause: err });
    }
    const version = CLAIM_VERSIONS.find((v) => served.includes(v));
    if (!version) {
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `${CLAIM_GROUP} (${CLAIM_VERSIONS.join('|')}) is not served: install agent-sandbox with its extensions`);
    }
    this.version = version;
  }

  private params() {
    return { group: CLAIM_GROUP, version: this.version, namespace: this.namespace, plural: CLAIM_PLURAL };
  }

  async create(body: SandboxClaim): Promise<SandboxClaim> {
    return (await this.objects.createNamespacedCustomObject({ ...this.params(), body })) as SandboxClaim;
  }

  /**
   * Foreground: the claim disappears only after its Sandbox and pod are gone. The options go in the
   * body (the API server ignores query options when a body is sent).
   */
  async delete(name: string, uid?: string): Promise<void> {
    await this.objects.deleteNamespacedCustomObject({
      ...this.params(),
      name,
      body: { propagationPolicy: 'Foreground', ...(uid ? { preconditions: { uid } } : {}) },
    });
  }

  async list(selection: Selection): Promise<ClaimList> {
    return (await this.objects.listNamespacedCustomObject({ ...this.params(), ...selection })) as ClaimList;
  }

  source(selection: Selection): ListWatch<SandboxClaim> {
    return listWatch<SandboxClaim>(this.kc, resourcePath(this.params()), selection, () => this.list(selection));
  }

  /** One claim by name, as a list/watch selection (LIST with a field selector: no `get` verb needed). */
  named(name: string): ListWatch<SandboxClaim> {
    return this.source({ fieldSelector: `metadata.name=${name}` });
  }
}
