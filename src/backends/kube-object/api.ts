/**
 * The calls the engine makes on one kind of object in one namespace — exactly these verbs: create,
 * list, watch, delete, and patch only for suspend/resume. Reads go through list/watch (no `get`).
 */
import { ApisApi, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { SandgateError } from '../../errors/errors.js';
import { kubeMessage } from '../../kube/errors.js';
import { listWatch, resourcePath, type ListWatch, type Selection } from '../../kube/list-watch.js';
import type { ObjectKind } from './types.js';

export interface ObjectList<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class ObjectApi<T extends KubernetesObject> {
  private readonly objects: CustomObjectsApi;
  /** The served version discovery picked (until start(): the least preferred one). */
  version: string;

  constructor(
    private readonly kc: KubeConfig,
    readonly kind: ObjectKind<T>,
    readonly namespace: string,
  ) {
    this.objects = kc.makeApiClient(CustomObjectsApi);
    this.version = kind.versions[kind.versions.length - 1] ?? 'v1';
  }

  get apiVersion(): string {
    return `${this.kind.group}/${this.version}`;
  }

  /** Picks the first served version of the kind's preference list; fails when none is served. */
  async discover(): Promise<void> {
    let served: string[] = [];
    try {
      const groups = await this.kc.makeApiClient(ApisApi).getAPIVersions();
      served = groups.groups.find((g) => g.name === this.kind.group)?.versions.map((v) => v.version) ?? [];
    } catch (err) {
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `Kubernetes API discovery failed: ${kubeMessage(err)}`, { cause: err });
    }
    const version = this.kind.versions.find((v) => served.includes(v));
    if (!version) {
      throw new SandgateError('SG_BACKEND_UNAVAILABLE', `${this.kind.group} (${this.kind.versions.join('|')}) is not served: ${this.kind.installHint}`);
    }
    this.version = version;
  }

  private params() {
    return { group: this.kind.group, version: this.version, namespace: this.namespace, plural: this.kind.plural };
  }

  get path(): string {
    return resourcePath(this.params());
  }

  async create(body: T): Promise<T> {
    return (await this.objects.createNamespacedCustomObject({ ...this.params(), body })) as T;
  }

  /** The options go in the body (the API server ignores query options when a body is sent). */
  async delete(name: string, uid?: string): Promise<void> {
    await this.objects.deleteNamespacedCustomObject({
      ...this.params(),
      name,
      body: { propagationPolicy: this.kind.propagation ?? 'Foreground', ...(uid ? { preconditions: { uid } } : {}) },
    });
  }

  /** JSON merge patch, guarded by the uid so a re-created object of the same name is never touched. */
  async patch(name: string, uid: string | undefined, body: object): Promise<T> {
    const guarded = uid ? { ...body, metadata: { ...(body as { metadata?: object }).metadata, uid } } : body;
    return (await this.objects.patchNamespacedCustomObject({ ...this.params(), name, body: guarded }, mergePatch)) as T;
  }

  async list(selection: Selection): Promise<ObjectList<T>> {
    return (await this.objects.listNamespacedCustomObject({ ...this.params(), ...selection })) as ObjectList<T>;
  }

  source(selection: Selection): ListWatch<T> {
    return listWatch<T>(this.kc, this.path, selection, () => this.list(selection));
  }

  /** One object by name, as a list/watch selection (LIST with a field selector: no `get` verb needed). */
  named(name: string): ListWatch<T> {
    return this.source({ fieldSelector: `metadata.name=${name}` });
  }
}
