/**
 * `node dist/testing/k8s/sandbox-env.js [poolSize]`: a ready agent-sandbox environment on the running
 * test control plane (npm run k8s:up) for manual runs and benchmarks — a namespace, the test node agent
 * for it, deploy/examples/agent-sandbox/sandbox-template.yaml with a warm pool of poolSize (default 2). Prints the gateway
 * settings as `export` lines, then runs until SIGINT/SIGTERM and removes everything. Test-only.
 */
import { NodeAgent } from './node-agent.js';
import { ADMIN_KUBECONFIG, TestCluster } from './cluster.js';
import { applySandboxes, POOL, SANDBOX_PORT } from './sandboxes.js';

const replicas = Number(process.argv[2] ?? 2);
const cluster = new TestCluster();
const namespace = await cluster.namespace('env');
const agent = new NodeAgent({ kubeConfig: cluster.kc, namespaces: [namespace] });
await agent.start();
const sandboxes = await applySandboxes(cluster, namespace, replicas);
await sandboxes.poolReady(replicas, 120_000);
process.stdout.write(
  [
    `export SANDGATE_KUBECONFIG=${ADMIN_KUBECONFIG}`,
    `export SANDGATE_NAMESPACE=${namespace}`,
    `export SANDGATE_WARM_POOL_NAME=${POOL}`,
    `export SANDGATE_SANDBOX_PORT=${SANDBOX_PORT}`,
    `export SANDGATE_SANDBOX_SECRET=${sandboxes.secret}`,
    '# ready; Ctrl-C removes the namespace',
  ].join('\n') + '\n',
);
const stop = async () => {
  await cluster.close();
  await agent.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
