/**
 * Test fixture for backend=openshell, openshellMode=kubernetes on the test control plane: a namespace,
 * the test node agent (runs the `sandgate` image's pods as real sandbox runtimes), the runtimes' path
 * secret, and the real agent-sandbox controller reconciling the Sandboxes. Test-only.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { labelValue } from '../../../kube/names.js';
import { KubeBackendFixture, SANDBOX_IMAGE as IMAGE, SANDBOX_PORT as PORT, TENANT_LABEL } from '../../../testing/k8s/backend-fixture.js';
import { clusterSettings } from '../../../testing/k8s/cluster.js';
import { killPods } from '../../../testing/k8s/kill-pods.js';
import { NodeAgent } from '../../../testing/k8s/node-agent.js';
import { DEFAULT_SECRET_NAME, OpenShellKubernetesBackend, type OpenShellKubernetesOptions } from './index.js';

export { TENANT_LABEL };

export class OpenShellKubernetesFixture extends KubeBackendFixture {
  private agent: NodeAgent | undefined;

  constructor() {
    super('openshell (kubernetes: agent-sandbox controller, test node agent)');
  }

  async start(prefix = 'openshell'): Promise<void> {
    this.namespace = await this.cluster.namespace(prefix);
    this.agent = new NodeAgent({ kubeConfig: this.cluster.kc, namespaces: [this.namespace] });
    await this.agent.start();
    await this.cluster.core.createNamespacedSecret({ namespace: this.namespace, body: { metadata: { name: DEFAULT_SECRET_NAME }, stringData: { SANDGATE_SANDBOX_SECRET: this.secret } } });
  }

  backend(overrides: Partial<OpenShellKubernetesOptions> = {}, kubeConfig: KubeConfig = this.cluster.kc): OpenShellKubernetesBackend {
    return new OpenShellKubernetesBackend({
      kubeConfig,
      namespace: this.namespace,
      image: IMAGE,
      sandboxPort: PORT,
      sandboxSecret: this.secret,
      gatewayId: this.gatewayId,
      namePrefix: 'sg-',
      tenantLabelKey: TENANT_LABEL,
      ...overrides,
    });
  }

  /** The SANDGATE_* variables with which createBackend(loadConfig()) reaches this fixture. */
  settings(): Record<string, string> {
    return clusterSettings({ backend: 'openshell', openshellMode: 'kubernetes', namespace: this.namespace, sandboxImage: IMAGE, sandboxPort: PORT, sandboxSecret: this.secret, gatewayId: this.gatewayId, tenantLabelKey: TENANT_LABEL });
  }


  /** Deletes the tenant's sandbox pod out of band (as a node failure or `kubectl delete pod` would). */
  async killPod(tenant: string): Promise<void> {
    await killPods(this.cluster.kc, this.namespace, `${TENANT_LABEL}=${labelValue(tenant)}`);
  }

  async close(): Promise<void> {
    await this.cluster.close();
    await this.agent?.close();
  }
}
