/**
 * Test node agent: the scheduler and kubelet of a test cluster that has no nodes. It registers one
 * Node, binds every unscheduled pod of its namespaces to it, and "runs" the pod:
 *  - a container whose image names `sandgate` runs as a real local sandbox runtime (`sandgate sandbox`
 *    with the container's args and env, secretKeyRef resolved) bound to the pod's own loopback IP;
 *  - any other container is simulated: idle (the pod only gets an IP — e.g. a client pod), or printing
 *    what its SANDGATE_TEST_LOG script says (log-script.ts; also for the pod's other containers).
 * The pod becomes Running/Ready with that podIP once the runtime prints its ready line. A pod being
 * deleted has its process tree stopped, then is removed (grace 0), as a kubelet does.
 * A container that fails is restarted with a backoff (restartPolicy Never: the pod becomes Failed).
 * Container output is kept per instance and served by the kubelet log API (kubelet-logs.ts), whose port
 * the Node advertises, so `pods/log` works through the API server. Only the first container restarts.
 * Not simulated: images, volumes, probes, resource limits, network isolation between pods, exec,
 * node heartbeats/leases.
 */
import { CoreV1Api, PatchStrategy, makeInformer, setHeaderOptions, type KubeConfig, type V1Container, type V1EnvVar, type V1Namespace, type V1Pod } from '@kubernetes/client-node';
import { isConflict, isNotFound } from '../../kube/errors.js';
import { startInformer } from '../../kube/informer.js';
import { ContainerLogs, type LogInstance } from './container-logs.js';
import { startContainer, type ContainerProcess } from './container-process.js';
import { startKubeletLogServer, type KubeletLogServer } from './kubelet-logs.js';
import { logScriptOf, runLogScript } from './log-script.js';
import { IpPool } from './ip-pool.js';
import { failedStatus, readyNode, runningStatus } from './pod-status.js';

export interface NodeAgentOptions {
  kubeConfig: KubeConfig;
  namespaces: string[];
  /** Also runs the pods of every namespace whose labels match this selector (e.g. per-sandbox namespaces). */
  namespaceSelector?: string;
  nodeName?: string;
  /** Second octet of the pod IPs (127.<block>.x.y); random by default. */
  ipBlock?: number;
}

interface Running {
  uid: string;
  ip: string;
  process?: ContainerProcess | undefined;
  /** The pod's other containers (simulated; started once, not restarted). */
  sidecars?: ContainerProcess[];
  stopping: boolean;
  restarts: number;
}

const HOST_IP = '127.0.0.1';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class NodeAgent {
  readonly nodeName: string;
  private readonly core: CoreV1Api;
  private readonly ips: IpPool;
  private readonly pods = new Map<string, Running>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly informers: { stop(): Promise<void> }[] = [];
  private readonly selectedPods = new Map<string, Promise<{ stop(): Promise<void> }>>();
  /** Pod uid → podIP, kept after the pod is gone (for tests). */
  readonly podIPs = new Map<string, string>();
  /** What every container wrote, per instance (served to the API server's pods/log). */
  readonly logs = new ContainerLogs();
  /** `namespace/name` → uid and containers of the pods whose logs are served (until the pod is deleted). */
  private readonly logPods = new Map<string, { uid: string; containers: string[] }>();
  private logServer?: KubeletLogServer;

  constructor(private readonly options: NodeAgentOptions) {
    this.nodeName = options.nodeName ?? `sandgate-test-node-${process.pid}`;
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.ips = new IpPool(options.ipBlock ?? 20 + Math.floor(Math.random() * 200));
  }

  async start(): Promise<void> {
    try {
      await this.core.createNode({ body: { metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName } } } });
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    this.logServer = await startKubeletLogServer(this.logs, (namespace, name) => this.logPods.get(`${namespace}/${name}`));
    await this.core.patchNodeStatus({ name: this.nodeName, body: { status: readyNode(this.nodeName, HOST_IP, this.logServer.port) } }, merge);
    for (const namespace of this.options.namespaces) this.informers.push(await this.watchPods(namespace));
    const labelSelector = this.options.namespaceSelector;
    if (labelSelector) {
      const namespaces = makeInformer<V1Namespace>(this.options.kubeConfig, '/api/v1/namespaces', () => this.core.listNamespace({ labelSelector }), labelSelector);
      namespaces.on('add', (ns) => this.selected(ns.metadata?.name ?? '', true));
      namespaces.on('delete', (ns) => this.selected(ns.metadata?.name ?? '', false));
      this.informers.push(await startInformer(namespaces, `namespaces (${labelSelector})`));
    }
  }

  private watchPods(namespace: string): Promise<{ stop(): Promise<void> }> {
    const informer = makeInformer<V1Pod>(this.options.kubeConfig, `/api/v1/namespaces/${namespace}/pods`, () => this.core.listNamespacedPod({ namespace }));
    informer.on('add', (pod) => this.enqueue(pod, false));
    informer.on('update', (pod) => this.enqueue(pod, false));
    informer.on('delete', (pod) => this.enqueue(pod, true));
    return startInformer(informer, `pods in ${namespace}`);
  }

  /** A namespace matching namespaceSelector appeared (watch its pods) or is gone (stop watching). */
  private selected(namespace: string, added: boolean): void {
    const watching = this.selectedPods.get(namespace);
    if (added && !watching) {
      const started = this.watchPods(namespace);
      started.catch((err: unknown) => console.error(`node agent: pods in ${namespace}: ${String(err)}`));
      this.selectedPods.set(namespace, started);
    }
    if (!added && watching) {
      this.selectedPods.delete(namespace);
      void watching.then((w) => w.stop()).catch(() => undefined);
    }
  }

  /** Serialises the work for one pod (events of different pods run concurrently). */
  private enqueue(pod: V1Pod, gone: boolean): void {
    const uid = pod.metadata?.uid ?? '';
    const prev = this.queues.get(uid) ?? Promise.resolve();
    const next = prev.then(() => this.sync(pod, gone)).catch((err: unknown) => {
      if (process.env.SANDGATE_TEST_LOG) console.error(`node agent: ${pod.metadata?.namespace}/${pod.metadata?.name}: ${String(err)}`);
    });
    this.queues.set(uid, next);
    void next.then(() => {
      if (this.queues.get(uid) === next) this.queues.delete(uid);
    });
  }

  private async sync(pod: V1Pod, gone: boolean): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? '';
    if (gone || pod.metadata?.deletionTimestamp) {
      await this.stop(uid);
      if (this.logPods.get(`${namespace}/${name}`)?.uid === uid) this.logPods.delete(`${namespace}/${name}`);
      this.logs.forget(uid);
      if (!gone) await this.core.deleteNamespacedPod({ name, namespace, body: { gracePeriodSeconds: 0, preconditions: { uid } } }).catch(ignoreMissing);
      return;
    }
    if (!pod.spec?.nodeName) {
      await this.core
        .createNamespacedPodBinding({ name, namespace, body: { metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName } } })
        .catch(ignoreMissing);
      return;
    }
    if (pod.spec.nodeName !== this.nodeName || this.pods.has(uid) || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return;
    const running: Running = { uid, ip: this.ips.allocate(), stopping: false, restarts: 0 };
    this.pods.set(uid, running);
    this.podIPs.set(uid, running.ip);
    this.logPods.set(`${namespace}/${name}`, { uid, containers: pod.spec.containers.map((c) => c.name) });
    await this.run(pod, running);
  }

  /**
   * Starts the pod's container and reports the pod Running/Ready. A container that fails to start or
   * dies is restarted with a backoff (same pod IP, Ready=False meanwhile), as a kubelet does for
   * restartPolicy Always/OnFailure; with restartPolicy Never the pod becomes Failed.
   */
  private async run(pod: V1Pod, running: Running): Promise<void> {
    const { name = '', namespace = '' } = pod.metadata ?? {};
    const { ip } = running;
    const [container, ...sidecars] = pod.spec?.containers ?? [];
    let log: LogInstance | undefined;
    try {
      if (!running.sidecars) {
        for (const c of sidecars) logScriptOf(c.env ?? []); // all scripts valid before any starts
        running.sidecars = sidecars.map((c) => this.simulate(running.uid, c)).filter((p) => p !== undefined);
      }
      if (container && /(^|\/)sandgate(:|@|$)/.test(container.image ?? '')) {
        const env = await this.env(namespace, container.env ?? []);
        const out = (log = this.logs.start(running.uid, container.name));
        running.process = await startContainer(container.args ?? ['sandbox'], env, ip, (stream, chunk) => out.write(stream, chunk));
        void running.process.exited.then((reason) => (out.end(), this.failed(pod, running, 'Error', reason)));
      } else if (container) {
        running.process = this.simulate(running.uid, container);
        void running.process?.exited.then((reason) => this.failed(pod, running, 'Error', reason));
      }
      if (running.stopping) return;
      await this.core.patchNamespacedPodStatus({ name, namespace, body: { status: runningStatus(pod, ip, HOST_IP, running.restarts) } }, merge);
    } catch (err) {
      log?.end();
      await this.failed(pod, running, 'StartError', String(err));
    }
  }

  private async failed(pod: V1Pod, running: Running, reason: string, message: string): Promise<void> {
    if (running.stopping || this.pods.get(running.uid) !== running) return;
    const { name = '', namespace = '' } = pod.metadata ?? {};
    console.error(`node agent: pod ${namespace}/${name} container ${reason}: ${message.slice(0, 500)}`);
    const restart = pod.spec?.restartPolicy !== 'Never';
    const status = failedStatus(pod, reason, message, restart, running.restarts);
    await this.core.patchNamespacedPodStatus({ name, namespace, body: { status } }, merge).catch(ignoreMissing);
    if (!restart) {
      this.pods.delete(running.uid);
      return;
    }
    running.restarts++;
    running.process = undefined;
    await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** running.restarts)));
    if (!running.stopping && this.pods.get(running.uid) === running) await this.run(pod, running);
  }

  private async stop(uid: string): Promise<void> {
    const running = this.pods.get(uid);
    if (!running) return;
    running.stopping = true;
    this.pods.delete(uid);
    await Promise.all([running.process?.stop(), ...(running.sidecars ?? []).map((s) => s.stop())]);
  }

  /** A simulated container: a new log instance, and its log script running (undefined when it has none). */
  private simulate(uid: string, container: V1Container): ContainerProcess | undefined {
    const script = logScriptOf(container.env ?? []); // a malformed script throws: the container fails to start
    const log = this.logs.start(uid, container.name);
    return script ? runLogScript(script, log) : undefined;
  }

  /** Literal values and secretKeyRef, as the kubelet resolves them. */
  private async env(namespace: string, vars: V1EnvVar[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const v of vars) {
      const ref = v.valueFrom?.secretKeyRef;
      if (ref) {
        const secret = await this.core.readNamespacedSecret({ name: ref.name ?? '', namespace });
        const data = secret.data?.[ref.key];
        if (data === undefined) throw new Error(`secret ${ref.name} has no key ${ref.key}`);
        out[v.name] = Buffer.from(data, 'base64').toString('utf8');
      } else out[v.name] = v.value ?? '';
    }
    return out;
  }

  /** Process ids of the running containers (tests kill them to simulate crashes). */
  pidOf(uid: string): number | undefined {
    return this.pods.get(uid)?.process?.pid;
  }

  async close(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
    await Promise.all([...this.selectedPods.values()].map((w) => w.then((i) => i.stop()).catch(() => undefined)));
    await Promise.all([...this.pods.keys()].map((uid) => this.stop(uid)));
    await this.logServer?.close();
    await this.core.deleteNode({ name: this.nodeName }).catch(ignoreMissing);
  }
}

function ignoreMissing(err: unknown): void {
  if (!isNotFound(err) && !isConflict(err)) throw err;
}
