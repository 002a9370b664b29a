/** `sandgate bench-overhead`: gateway vs direct in one run, plus gateway memory per idle session. */
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { loadConfig } from '../../config/load.js';
import { createBackend } from '../../backends/index.js';
import { createIdentity } from '../../identity/index.js';
import { createLogger } from '../../observability/logger.js';
import { Gateway } from '../../gateway/gateway.js';
import { startFixtureServer } from '../../fixture/fixture-server.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureRoundTrips, measureSessionStart, type PairStats } from './measure.js';

export interface OverheadOptions {
  runs: number;
  warmup: number;
  roundTrips: number;
  idleSessions: number;
  chromiumPath: string;
  json?: string | undefined;
}

export interface OverheadResult {
  schemaVersion: 1;
  startedAt: string;
  config: Omit<OverheadOptions, 'json'>;
  sessionStart: PairStats;
  roundTrip: PairStats;
  memory: { idleSessions: number; bytesPerSession: number };
}

function openIdle(url: string, tenant: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { 'X-Sandgate-Tenant': tenant } });
    ws.once('open', () => ws.close());
    ws.once('close', () => resolve());
    ws.once('error', reject);
  });
}

function nextMessage<T>(child: ChildProcess, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { event?: string }) => {
      if (m.event !== event) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`gateway child exited (${code})`)));
  });
}

/** Heap + external bytes per idle session, measured in a gateway process of its own. */
async function measureIdleMemory(sessions: number, chromiumPath: string): Promise<{ idleSessions: number; bytesPerSession: number }> {
  const child = fork(fileURLToPath(new URL('./gateway-child.js', import.meta.url)), [], {
    env: { ...process.env, SANDGATE_CHROMIUM_PATH: chromiumPath },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const { port } = await nextMessage<{ port: number }>(child, 'listening');
    const url = `ws://127.0.0.1:${port}/cdp`;
    // First-use allocations (JIT feedback, pools) are not per-session: warm up on a few sessions.
    for (let i = 0; i < 5; i++) await openIdle(url, `warm-up-${i}`);
    const memory = async () => {
      const reply = nextMessage<{ bytes: number }>(child, 'memory');
      child.send({ cmd: 'memory' });
      return (await reply).bytes;
    };
    const before = await memory();
    for (let i = 0; i < sessions; i++) await openIdle(url, `idle-${i}`);
    const after = await memory();
    return { idleSessions: sessions, bytesPerSession: Math.round((after - before) / sessions) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ cmd: 'stop' });
    await exited;
  }
}

const fmt = (p: PairStats) =>
  `direct p50 ${p.direct.p50} (p95 ${p.direct.p95}) · gateway p50 ${p.gateway.p50} (p95 ${p.gateway.p95}) · ratio ${p.ratio}`;

export async function runOverhead(o: OverheadOptions, progress: (s: string) => void): Promise<OverheadResult> {
  const config = loadConfig({ env: {}, flags: { listen: '127.0.0.1:0', management: '127.0.0.1:0', logLevel: 'warn', chromiumPath: o.chromiumPath, idleTtl: '0' } });
  const backend = createBackend(config);
  const gateway = new Gateway({ config, backend, identity: createIdentity(config), logger: createLogger(config.logLevel) });
  const fixture = await startFixtureServer();
  const { data } = await gateway.start();
  try {
    const base = `ws://127.0.0.1:${data.port}`;
    await openIdle(`${base}/cdp`, 'overhead');
    const endpoint = (await backend.list()).find((s) => s.tenant === 'overhead')?.endpoint;
    if (!endpoint) throw new Error('no endpoint for the overhead tenant');
    const targets = {
      direct: `ws://${endpoint.host}:${endpoint.port}${endpoint.basePath}/playwright`,
      gateway: `${base}/playwright`,
      headers: { 'X-Sandgate-Tenant': 'overhead' },
      target: fixture.url,
    };
    progress(`session start: ${o.runs} runs per side (+${o.warmup} warm-up), interleaved`);
    const sessionStart = await measureSessionStart(targets, o.runs, o.warmup, progress);
    progress(`round trips: ${o.roundTrips} page.evaluate per side in alternating blocks`);
    const roundTrip = await measureRoundTrips(targets, o.roundTrips, 100);
    progress(`memory: ${o.idleSessions} idle sessions on a gateway in its own process`);
    const memory = await measureIdleMemory(o.idleSessions, o.chromiumPath);
    const { json: _json, ...cfg } = o;
    const result: OverheadResult = { schemaVersion: 1, startedAt: new Date().toISOString(), config: cfg, sessionStart, roundTrip, memory };
    if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2));
    return result;
  } finally {
    await gateway.close();
    await fixture.close();
  }
}

export function overheadReport(r: OverheadResult): string {
  return [
    `connect+newPage+goto ms: ${fmt(r.sessionStart)}`,
    `page.evaluate round trip ms: ${fmt(r.roundTrip)}`,
    `gateway memory per idle session: ${(r.memory.bytesPerSession / 1024).toFixed(1)} KiB (${r.memory.idleSessions} sessions)`,
  ].join('\n');
}
