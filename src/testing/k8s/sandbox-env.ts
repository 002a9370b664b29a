/**
 * `node dist/testing/k8s/sandbox-env.js [poolSize]`: a ready agent-sandbox environment on the running
 * test control plane (npm run k8s:up) for manual runs and benchmarks — a namespace, the test node agent
 * for it, deploy/examples/agent-sandbox/sandbox-template.yaml with a warm pool of poolSize (default 2). Prints the gateway
 * settings as `export` lines, then runs until SIGINT/SIGTERM and removes everything. Test-only.
 */
import { NodeAgent } from './node-agent.js';
import { clusterSettings, TestCluster } from './cluster.js';
import { applySandboxes, POOL, SANDBOX_PORT } from './sandboxes.js';

const replicas = Number(process.argv[2] ?? 2);
const cluster = new TestCluster();
const namespace = await cluster.namespace('env');
const agent = new NodeAgent({ kubeConfig: cluster.kc, namespaces: [namespace] });
await agent.start();
const sandboxes = await applySandboxes(cluster, namespace, replicas);
await sandboxes.poolReady(replicas, 120_000);
const env = clusterSettings({ namespace, warmPoolName: POOL, sandboxPort: SANDBOX_PORT, sandboxSecret: sandboxes.secret });
process.stdout.write([...Object.entries(env).map(([k, v]) => `export ${k}=${v}`), '# ready; Ctrl-C removes the namespace'].join('\n') + '\n');
const stop = async () => {
  await cluster.close();
  await agent.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
