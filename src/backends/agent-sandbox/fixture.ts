/**
 * Test fixture for the agent-sandbox backend on the test control plane: a namespace, the test node
 * agent, deploy/examples/agent-sandbox/sandbox-template.yaml (pool of N), and backends wired to them. Test-only.
 */
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { killPods } from '../../testing/k8s/kill-pods.js';
import { NodeAgent } from '../../testing/k8s/node-agent.js';
import { TENANT_LABEL } from '../../testing/k8s/backend-fixture.js';
import { TestCluster } from '../../testing/k8s/cluster.js';
import { applySandboxes, POOL, SANDBOX_PORT, type TestSandboxes } from '../../testing/k8s/sandboxes.js';
import { labelValue } from '../../kube/names.js';
import { AgentSandboxBackend, type AgentSandboxOptions } from './index.js';

export { TENANT_LABEL };

export class AgentSandboxFixture {
  readonly cluster = new TestCluster();
  namespace = '';
  agent: NodeAgent | undefined;
  sandboxes: TestSandboxes | undefined;

  async start(prefix: string, replicas: number): Promise<void> {
    this.namespace = await this.cluster.namespace(prefix);
    this.agent = new NodeAgent({ kubeConfig: this.cluster.kc, namespaces: [this.namespace] });
    await this.agent.start();
    this.sandboxes = await applySandboxes(this.cluster, this.namespace, replicas);
    await this.sandboxes.poolReady(replicas);
  }

  backend(overrides: Partial<AgentSandboxOptions> = {}, kubeConfig: KubeConfig = this.cluster.kc): AgentSandboxBackend {
    return new AgentSandboxBackend({
      kubeConfig,
      namespace: this.namespace,
      warmPool: POOL,
      sandboxPort: SANDBOX_PORT,
      sandboxSecret: this.sandboxes?.secret ?? '',
      gatewayId: `gw-${randomBytes(3).toString('hex')}`,
      namePrefix: 'sg-',
      tenantLabelKey: TENANT_LABEL,
      ...overrides,
    });
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
