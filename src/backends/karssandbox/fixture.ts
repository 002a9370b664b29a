/**
 * Test fixture for the karssandbox backend on the test control plane: our minimal KARS CRDs, a
 * namespace with the InferencePolicy, the KARS test controller, and the test node agent running the
 * pods of the per-sandbox namespaces kars-<name> (namespaceSelector). Test-only.
 */
import { randomBytes } from 'node:crypto';
import { CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { KubeBackendFixture, SANDBOX_IMAGE as IMAGE, SANDBOX_PORT as PORT, TENANT_LABEL } from '../../testing/k8s/backend-fixture.js';
import { clusterSettings } from '../../testing/k8s/cluster.js';
import { installCrds } from '../../testing/k8s/crds.js';
import { killPods } from '../../testing/k8s/kill-pods.js';
import { KarsController } from '../../testing/k8s/controllers/kars.js';
import { NodeAgent } from '../../testing/k8s/node-agent.js';
import { KarsSandboxBackend, type KarsOptions } from './index.js';
import { KARS_GROUP, KARS_VERSION, SANDBOX_POD_SELECTOR } from './kars.js';

export const POLICY = 'sandgate';
const OWNER_LABEL = 'sandgate.io/test-kars-owner';

export class KarsFixture extends KubeBackendFixture {
  /** kars-<name> namespaces are cluster-wide: a prefix of its own keeps concurrent runs apart. */
  readonly namePrefix = `k${randomBytes(3).toString('hex')}-`;
  private agent: NodeAgent | undefined;
  private controller: KarsController | undefined;

  constructor() {
    super('karssandbox (test controller, test node agent)');
  }

  /** `runNode: false`: nothing runs the sandbox pods; `runController: false`: call startController() later. */
  async start(runNode = true, runController = true): Promise<void> {
    await installCrds(this.cluster.kc, ['kars']);
    this.namespace = await this.cluster.namespace('kars');
    await this.custom.createNamespacedCustomObject({ group: KARS_GROUP, version: KARS_VERSION, namespace: this.namespace, plural: 'inferencepolicies', body: { apiVersion: `${KARS_GROUP}/${KARS_VERSION}`, kind: 'InferencePolicy', metadata: { name: POLICY }, spec: { tokenBudget: { dailyTokens: 1 } } } });
    if (runNode) {
      this.agent = new NodeAgent({ kubeConfig: this.cluster.kc, namespaces: [], namespaceSelector: `${OWNER_LABEL}=${this.namespace}` });
      await this.agent.start();
    }
    if (runController) await this.startController();
  }

  async startController(): Promise<void> {
    this.controller = new KarsController({ kubeConfig: this.cluster.kc, namespaces: [this.namespace], namespaceLabels: { [OWNER_LABEL]: this.namespace } });
    await this.controller.start();
  }

  get custom(): CustomObjectsApi {
    return this.cluster.kc.makeApiClient(CustomObjectsApi);
  }

  backend(overrides: Partial<KarsOptions> = {}, kubeConfig: KubeConfig = this.cluster.kc): KarsSandboxBackend {
    return new KarsSandboxBackend({
      kubeConfig,
      namespace: this.namespace,
      sandboxImage: IMAGE,
      sandboxPort: PORT,
      sandboxSecret: this.secret,
      inferenceRef: POLICY,
      isolation: 'standard',
      gatewayId: this.gatewayId,
      namePrefix: this.namePrefix,
      tenantLabelKey: TENANT_LABEL,
      ...overrides,
    });
  }

  /** The SANDGATE_* variables with which createBackend(loadConfig()) reaches this fixture. */
  settings(): Record<string, string> {
    return clusterSettings({ backend: 'karssandbox', namespace: this.namespace, karsInferenceRef: POLICY, karsIsolation: 'standard', sandboxImage: IMAGE, sandboxPort: PORT, sandboxSecret: this.secret, gatewayId: this.gatewayId, namePrefix: this.namePrefix });
  }


  /** The sandbox pods of the tenant's KarsSandbox (in kars-<name>). */
  async pods(backend: KarsSandboxBackend, tenant: string): Promise<V1Pod[]> {
    const namespace = `kars-${backend.objectName(tenant)}`;
    return (await this.cluster.core.listNamespacedPod({ namespace, labelSelector: SANDBOX_POD_SELECTOR })).items;
  }

  /** Deletes the tenant's sandbox pod out of band; the controller makes a new one (as KARS's Deployment would). */
  async killPod(backend: KarsSandboxBackend, tenant: string): Promise<void> {
    await killPods(this.cluster.kc, `kars-${backend.objectName(tenant)}`, SANDBOX_POD_SELECTOR);
  }

  /** Deleting the namespace deletes its KarsSandboxes; the controller finalizes them (kars-<name> removed) before it stops. */
  async close(): Promise<void> {
    await this.cluster.close();
    await this.controller?.close();
    await this.agent?.close();
  }
}
