/**
 * Test fixture for the isola backend on the test control plane: our minimal isola CRD, a namespace
 * standing in for isola's shared one, the isola test controller and the test node agent (runs the
 * `sandgate` image's pods as real sandbox runtimes). Test-only.
 */
import { randomBytes } from 'node:crypto';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { labelValue } from '../../kube/names.js';
import { clusterSettings, TestCluster } from '../../testing/k8s/cluster.js';
import { installCrds } from '../../testing/k8s/crds.js';
import { IsolaController, type IsolaControllerOptions } from '../../testing/k8s/controllers/isola.js';
import { NodeAgent } from '../../testing/k8s/node-agent.js';
import { IsolaBackend, type IsolaOptions } from './index.js';

export const TENANT_LABEL = 'sandbox.users.io/sandgate-tenant';
const IMAGE = 'sandgate:latest';
const PORT = 9222;

export class IsolaFixture {
  readonly label = 'isola (test controller, test node agent)';
  readonly cluster = new TestCluster();
  readonly secret = randomBytes(24).toString('base64url');
  readonly gatewayId = `gw-${randomBytes(3).toString('hex')}`;
  namespace = '';
  agent: NodeAgent | undefined;
  private controller: IsolaController | undefined;

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
