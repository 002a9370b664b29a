/**
 * Pods that log, on the test control plane: a throwaway namespace with its own node agent, pods whose
 * simulated containers run SANDGATE_TEST_LOG scripts, and waits on their status through a watch.
 */
import { Log, type CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { listWatch } from '../../kube/list-watch.js';
import { waitFor } from '../../kube/wait-for.js';
import { TestCluster } from './cluster.js';
import { LOG_SCRIPT_ENV, type LogScript } from './log-script.js';
import { NodeAgent } from './node-agent.js';

export interface LogContainer {
  name: string;
  script: LogScript;
  image?: string;
}

export class LogPods {
  readonly cluster = new TestCluster();
  readonly core: CoreV1Api = this.cluster.core;
  namespace = '';
  private agent?: NodeAgent;

  async start(prefix: string): Promise<void> {
    this.namespace = await this.cluster.namespace(prefix);
    this.agent = new NodeAgent({ kubeConfig: this.cluster.kc, namespaces: [this.namespace] });
    await this.agent.start();
  }

  async create(name: string, labels: Record<string, string>, containers: LogContainer[], restartPolicy: 'Always' | 'Never' = 'Always'): Promise<void> {
    const spec = {
      restartPolicy,
      containers: containers.map((c) => ({ name: c.name, image: c.image ?? 'argoproj/rollouts-demo:blue', env: [{ name: LOG_SCRIPT_ENV, value: JSON.stringify(c.script) }] })),
    };
    await this.core.createNamespacedPod({ namespace: this.namespace, body: { metadata: { name, labels }, spec } });
  }

  /** Waits (watch, bounded) until every named pod satisfies `ok`. */
  async waitPods(names: string[], ok: (pod: V1Pod) => boolean, timeoutMs = 30_000): Promise<void> {
    const source = listWatch(this.cluster.kc, `/api/v1/namespaces/${this.namespace}/pods`, {}, () => this.core.listNamespacedPod({ namespace: this.namespace }));
    await waitFor(source, (pods) => (names.every((n) => pods.some((p) => p.metadata?.name === n && ok(p))) ? true : undefined), {
      deadline: Date.now() + timeoutMs,
      what: `pods ${names.join(', ')}`,
    });
  }

  /** Follows a container's log through the API server until a line matches `until`; resolves with the text read. */
  async follow(pod: string, container: string, until: RegExp, timeoutMs = 30_000): Promise<string> {
    let text = '';
    const abort = new AbortController();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => (abort.abort(), reject(new Error(`log of ${pod}/${container} never matched ${until}: ${text.slice(-300)}`))), timeoutMs);
      const sink = new Writable({
        write: (chunk: Buffer, _enc, cb) => {
          text += chunk.toString();
          if (until.test(text)) {
            clearTimeout(timer);
            abort.abort();
            resolve(text);
          }
          cb();
        },
      });
      void new Log(this.cluster.kc)
        .log(this.namespace, pod, container, sink, { follow: true })
        .then((controller) => abort.signal.addEventListener('abort', () => controller.abort(), { once: true }))
        .catch((err: unknown) => (clearTimeout(timer), reject(err instanceof Error ? err : new Error(String(err)))));
    });
  }

  /** The namespace goes first, while the node agent still deletes its pods (as a kubelet would). */
  async close(): Promise<void> {
    await this.cluster.close();
    await this.agent?.close();
  }
}

export const restarted = (pod: V1Pod, atLeast = 1) => (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) >= atLeast;
export const running = (pod: V1Pod) => pod.status?.phase === 'Running' && pod.status.containerStatuses?.[0]?.ready === true;
