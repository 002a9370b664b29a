/**
 * A loopback fake of the two kube-apiserver paths the analyzer uses — GET /api/v1/namespaces/{ns}/pods
 * (labelSelector) and GET …/pods/{name}/log (container, tailLines, sinceSeconds, limitBytes, previous) —
 * serving MemoryPods with the apiserver's JSON shapes, so the real @kubernetes/client-node is exercised.
 * Stand-in until the shared Kubernetes test setup (real kube-apiserver + node agent) is available.
 */
import type { LogOptions } from '../kube/types.js';
import { FakeServer, type FakeReply, type RecordedRequest } from './fake-server.js';
import { MemoryKube, matchesSelector, type MemoryPod } from '../kube/memory.js';

function podJson(p: MemoryPod): unknown {
  const containers = Object.keys(p.logs);
  return {
    metadata: { name: p.name, namespace: p.namespace ?? 'default', labels: p.labels, uid: `uid-${p.name}` },
    spec: { containers: containers.map((name) => ({ name, image: 'argoproj/rollouts-demo:blue' })) },
    status: {
      phase: 'Running',
      containerStatuses: containers.map((name) => ({ name, image: 'argoproj/rollouts-demo:blue', imageID: 'sha256:0', ready: true, restartCount: p.restarts?.[name] ?? 0 })),
    },
  };
}

export async function startFakeApiserver(pods: MemoryPod[], token: string): Promise<FakeServer> {
  const logs = new MemoryKube(pods);
  return FakeServer.start(async (req: RecordedRequest): Promise<FakeReply> => {
    if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, json: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 } };
    const list = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(req.path);
    if (req.method === 'GET' && list) {
      const selector = req.query.get('labelSelector') ?? '';
      const items = pods.filter((p) => (p.namespace ?? 'default') === list[1] && matchesSelector(p.labels, selector)).map(podJson);
      return { json: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items } };
    }
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(req.path);
    if (req.method === 'GET' && log) {
      const [, ns = '', name = ''] = log;
      const pod = pods.find((p) => p.name === name && (p.namespace ?? 'default') === ns);
      const container = req.query.get('container') ?? '';
      const previous = req.query.get('previous') === 'true';
      if (!pod || !(container in pod.logs)) return { status: 404, json: { kind: 'Status', status: 'Failure', message: `pods "${name}" not found`, reason: 'NotFound', code: 404 } };
      if (previous && !pod.previous?.[container]) return { status: 400, json: { kind: 'Status', status: 'Failure', message: `previous terminated container "${container}" in pod "${name}" not found`, reason: 'BadRequest', code: 400 } };
      const opts: LogOptions = { previous };
      if (req.query.has('tailLines')) opts.tailLines = Number(req.query.get('tailLines'));
      if (req.query.has('limitBytes')) opts.limitBytes = Number(req.query.get('limitBytes'));
      return { text: await logs.readLog(ns, name, container, opts) };
    }
    return { status: 404, json: { kind: 'Status', status: 'Failure', message: 'not found', code: 404 } };
  });
}
