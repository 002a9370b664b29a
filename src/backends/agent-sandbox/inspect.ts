/** Test helpers that read what the backend made on the API server (claims, Sandboxes, pods). Test-only. */
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { SandboxClaim } from './claim.js';

interface Sandbox extends KubernetesObject {
  status?: { podIPs?: string[] };
}

export class Inspect {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(
    kc: KubeConfig,
    private readonly namespace: string,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  private params(plural: string) {
    const group = plural === 'sandboxes' ? 'agents.x-k8s.io' : 'extensions.agents.x-k8s.io';
    return { group, version: 'v1beta1', namespace: this.namespace, plural };
  }

  async claims(labelSelector?: string): Promise<SandboxClaim[]> {
    return ((await this.custom.listNamespacedCustomObject({ ...this.params('sandboxclaims'), ...(labelSelector ? { labelSelector } : {}) })) as { items: SandboxClaim[] }).items;
  }

  async claim(name: string): Promise<SandboxClaim | undefined> {
    return (await this.claims()).find((c) => c.metadata?.name === name);
  }

  async sandboxes(): Promise<Sandbox[]> {
    return ((await this.custom.listNamespacedCustomObject(this.params('sandboxes'))) as { items: Sandbox[] }).items;
  }

  async podNames(): Promise<string[]> {
    return (await this.core.listNamespacedPod({ namespace: this.namespace })).items.map((p) => p.metadata?.name ?? '');
  }

  async patchClaim(name: string, body: object): Promise<void> {
    await this.custom.patchNamespacedCustomObject({ ...this.params('sandboxclaims'), name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }

  async deleteClaim(name: string): Promise<void> {
    await this.custom.deleteNamespacedCustomObject({ ...this.params('sandboxclaims'), name, body: { propagationPolicy: 'Foreground' } });
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
