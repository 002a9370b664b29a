/**
 * Test fixture for the isola backend on the test control plane: our minimal isola CRD, a namespace
 * standing in for isola's shared one, the isola test controller and the test node agent (runs the
 * `sandgate` image's pods as real sandbox runtimes). Test-only.
 */
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { labelValue } from '../../kube/names.js';
import { KubeBackendFixture, SANDBOX_IMAGE as IMAGE, SANDBOX_PORT as PORT, TENANT_LABEL } from '../../testing/k8s/backend-fixture.js';
import { clusterSettings } from '../../testing/k8s/cluster.js';
import { installCrds } from '../../testing/k8s/crds.js';
import { IsolaController, type IsolaControllerOptions } from '../../testing/k8s/controllers/isola.js';
import { NodeAgent } from '../../testing/k8s/node-agent.js';
import { IsolaBackend, type IsolaOptions } from './index.js';

export { TENANT_LABEL };

export class IsolaFixture extends KubeBackendFixture {
  agent: NodeAgent | undefined;
  private controller: IsolaController | undefined;

  constructor() {
    super('isola (test controller, test node agent)');
  }

  /** `runNode: false` leaves pods unscheduled (nothing runs them), for startup-timeout tests. */
  async start(controller: Partial<IsolaControllerOptions> = {}, runNode = true): Promise<void> {
    await installCrds(this.cluster.kc, ['isola']);
    this.namespace = await this.cluster.namespace('isola');
    if (runNode) {
      this.agent = new NodeAgent({ kubeConfig: this.cluster.kc, namespaces: [this.namespace] });
      await this.agent.start();
    }
    this.controller = new IsolaController({ kubeConfig: this.cluster.kc, namespaces: [this.namespace], ...controller });
    await this.controller.start();
  }

  backend(overrides: Partial<IsolaOptions> = {}, kubeConfig: KubeConfig = this.cluster.kc): IsolaBackend {
    return new IsolaBackend({
      kubeConfig,
      namespace: this.namespace,
      sandboxImage: IMAGE,
      sandboxPort: PORT,
      sandboxSecret: this.secret,
      egressCidrs: ['10.0.0.0/8'],
      gatewayId: this.gatewayId,
      namePrefix: 'sg-',
      tenantLabelKey: TENANT_LABEL,
      ...overrides,
    });
  }

  /** The SANDGATE_* variables with which createBackend(loadConfig()) reaches this fixture. */
  settings(): Record<string, string> {
    return clusterSettings({ backend: 'isola', isolaNamespace: this.namespace, isolaEgressCidrs: ['10.0.0.0/8'], sandboxImage: IMAGE, sandboxPort: PORT, sandboxSecret: this.secret, gatewayId: this.gatewayId, tenantLabelKey: TENANT_LABEL });
  }


  async pods(tenant: string): Promise<V1Pod[]> {
    return (await this.cluster.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `${TENANT_LABEL}=${labelValue(tenant)}` })).items;
  }

  /** Kills the tenant's sandbox container (a crash): restartPolicy Never → pod Failed → PodFailed. */
  async crash(tenant: string): Promise<void> {
    for (const pod of await this.pods(tenant)) {
      const pid = this.agent?.pidOf(pod.metadata?.uid ?? '');
      if (pid) process.kill(-pid, 'SIGKILL');
    }
  }

  async close(): Promise<void> {
    await this.cluster.close();
    await this.controller?.close();
    await this.agent?.close();
  }
}
