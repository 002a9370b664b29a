/**
 * The kubelet's container-log API for the test node agent, so `GET …/pods/{pod}/log` works through the
 * real kube-apiserver: the API server looks up the pod's Node, dials its preferred address at
 * status.daemonEndpoints.kubeletEndpoint.Port over HTTPS and relays
 * `GET /containerLogs/{namespace}/{pod}/{container}?tailLines=&sinceSeconds=&sinceTime=&timestamps=&follow=&limitBytes=&previous=`.
 * Served on 127.0.0.1 with a self-signed certificate made at start (openssl); the test plane's
 * kube-apiserver has no --kubelet-certificate-authority, so it does not verify it, and sends no client
 * certificate, so this server authenticates nobody (loopback only, test use only).
 * Answers and errors follow the kubelet: 400 for an undecodable query, 422 for invalid options, 404 for
 * an unknown pod or container, 400 when there is no previous instance, 405 for anything but GET.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nowNs, readLog, type ContainerLogs, type LogStream, type ReadOptions } from './container-logs.js';

/** A pod this node runs (its uid keys its logs) and its container names; undefined when not on this node. */
export type PodContainers = (namespace: string, pod: string) => { uid: string; containers: string[] } | undefined;

export interface KubeletLogServer {
  port: number;
  close(): Promise<void>;
}

async function selfSignedCert(): Promise<{ key: Buffer; cert: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'sg-kubelet-'));
  try {
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=sandgate-test-kubelet', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ]);
    return { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export class LogQueryError extends Error {
  constructor(readonly status: 400 | 422, message: string) {
    super(message);
  }
}

const BOOL: Record<string, boolean> = { '1': true, t: true, T: true, true: true, TRUE: true, True: true, '0': false, f: false, F: false, false: false, FALSE: false, False: false };

/** The kubelet's decoding (v1.PodLogOptions from the query) and validation, then its time window. */
export function parseLogQuery(query: URLSearchParams, now = nowNs()): ReadOptions & { previous: boolean } {
  const q = new URLSearchParams(query);
  const tail = q.get('tail'); // the kubelet's older spelling; "all" = no limit
  if (tail !== null) {
    if (tail === 'all') q.delete('tailLines');
    else q.set('tailLines', tail);
  }
  const int = (name: string) => {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw new LogQueryError(400, '{"message": "Unable to decode query."}');
    return Number(v);
  };
  const bool = (name: string) => {
    const v = q.get(name);
    if (v === null || v === '') return false;
    const b = BOOL[v];
    if (b === undefined) throw new LogQueryError(400, '{"message": "Unable to decode query."}');
    return b;
  };
  const tailLines = int('tailLines');
  const limitBytes = int('limitBytes');
  const sinceSeconds = int('sinceSeconds');
  const sinceTimeText = q.get('sinceTime');
  const sinceTime = sinceTimeText ? Date.parse(sinceTimeText) : undefined;
  if (sinceTime !== undefined && Number.isNaN(sinceTime)) throw new LogQueryError(400, '{"message": "Unable to decode query."}');
  const stream = q.get('stream') ?? 'All';
  const invalid =
    (tailLines !== undefined && tailLines < 0) ||
    (limitBytes !== undefined && limitBytes < 1) ||
    (sinceSeconds !== undefined && sinceSeconds < 1) ||
    (sinceSeconds !== undefined && sinceTime !== undefined) ||
    !['All', 'Stdout', 'Stderr'].includes(stream);
  if (invalid) throw new LogQueryError(422, '{"message": "Invalid request."}');
  let sinceNs = sinceSeconds === undefined ? undefined : now - BigInt(sinceSeconds) * 1_000_000_000n;
  if (sinceTime !== undefined) sinceNs = BigInt(sinceTime) * 1_000_000n;
  const streams: LogStream[] = stream === 'Stdout' ? ['stdout'] : stream === 'Stderr' ? ['stderr'] : ['stdout', 'stderr'];
  return { tailLines, limitBytes, sinceNs, timestamps: bool('timestamps'), follow: bool('follow'), previous: bool('previous'), streams };
}

const PATH = /^\/containerLogs\/([^/]*)\/([^/]*)\/([^/]*)$/;

function handler(logs: ContainerLogs, pods: PodContainers) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const fail = (status: number, message: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(message);
    };
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const m = PATH.exec(url.pathname);
    if (!m) return fail(404, '404 page not found');
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return fail(405, 'Method Not Allowed');
    }
    const [namespace = '', pod = '', container = ''] = m.slice(1).map(decodeURIComponent);
    if (!pod) return fail(400, '{"message": "Missing podID."}');
    if (!container) return fail(400, '{"message": "Missing container name."}');
    if (!namespace) return fail(400, '{"message": "Missing podNamespace."}');
    let options: ReturnType<typeof parseLogQuery>;
    try {
      options = parseLogQuery(url.searchParams);
    } catch (err) {
      if (err instanceof LogQueryError) return fail(err.status, err.message);
      throw err;
    }
    const found = pods(namespace, pod);
    if (!found) return fail(404, `pod "${pod}" does not exist`);
    if (!found.containers.includes(container)) return fail(404, `container "${container}" not found in pod "${pod}"`);
    const instance = logs.instance(found.uid, container, options.previous);
    if (!instance) {
      return fail(400, options.previous
        ? `previous terminated container "${container}" in pod "${pod}" not found`
        : `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    void readLog(instance, options, (chunk) => res.write(chunk), gone.signal).then(() => res.end());
  };
}

export async function startKubeletLogServer(logs: ContainerLogs, pods: PodContainers): Promise<KubeletLogServer> {
  const server: Server = createServer(await selfSignedCert(), handler(logs, pods));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
