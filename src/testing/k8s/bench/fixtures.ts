/**
 * The Kubernetes-layer backends as the bench sees them: each fixture stands up what its backend needs
 * on the test control plane (or a loopback fake of a system that cannot run here) and tells, as
 * SANDGATE_* settings, how a gateway reaches it. Test-only.
 */
import { clusterSettings } from '../cluster.js';
import { POOL, SANDBOX_PORT } from '../sandboxes.js';

export interface BenchFixture {
  /** Shown in results; says when a fake or a test controller stands in for the real system. */
  readonly label: string;
  start(): Promise<void>;
  /** SANDGATE_* environment for `createBackend(loadConfig(...))` (SANDGATE_BACKEND included). */
  settings(): Record<string, string>;
  close(): Promise<void>;
}

export interface BenchEntry {
  /** The backend (config `backend`) the bench embeds. */
  backend: string;
  make(): Promise<BenchFixture>;
}

/** agent-sandbox with the real controller; an empty warm pool, so every claim is a cold start. */
async function agentSandbox(): Promise<BenchFixture> {
  const { AgentSandboxFixture, TENANT_LABEL } = await import('../../../backends/agent-sandbox/fixture.js');
  const fx = new AgentSandboxFixture();
  return {
    label: 'agent-sandbox (real controller)',
    start: () => fx.start('bench', 0),
    settings: () =>
      clusterSettings({ backend: 'agent-sandbox', namespace: fx.namespace, warmPoolName: POOL, sandboxPort: SANDBOX_PORT, sandboxSecret: fx.sandboxes?.secret ?? '', gatewayId: `bench-${process.pid}`, tenantLabelKey: TENANT_LABEL }),
    close: () => fx.close(),
  };
}

/** What `npm run bench:k8s` measures, by id; fixtures are imported lazily (only the ones asked for load). */
export const BENCH_FIXTURES: Record<string, BenchEntry> = {
  'agent-sandbox': { backend: 'agent-sandbox', make: agentSandbox },
  'openshell-kubernetes': {
    backend: 'openshell',
    make: async () => new (await import('../../../backends/openshell/kubernetes/fixture.js')).OpenShellKubernetesFixture(),
  },
  'openshell-grpc': { backend: 'openshell', make: async () => new (await import('../../../backends/openshell/grpc/fixture.js')).OpenShellGrpcFixture() },
  substrate: { backend: 'substrate', make: async () => new (await import('../../../backends/substrate/fixture.js')).SubstrateFixture() },
  karssandbox: { backend: 'karssandbox', make: async () => new (await import('../../../backends/karssandbox/fixture.js')).KarsFixture() },
  isola: { backend: 'isola', make: async () => new (await import('../../../backends/isola/fixture.js')).IsolaFixture() },
};
