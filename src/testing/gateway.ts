/** Starts a real gateway on loopback for integration tests. */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/load.js';
import type { Config, ConfigKey } from '../config/schema.js';
import { createBackend } from '../backends/index.js';
import type { Backend } from '../backends/types.js';
import { createIdentity } from '../identity/index.js';
import { createLogger } from '../observability/logger.js';
import { Gateway } from '../gateway/gateway.js';
import { CHROMIUM_PATH } from './prereq.js';

export interface TestGateway {
  gateway: Gateway;
  config: Config;
  backend: Backend;
  ws: string;
  http: string;
  management: string;
  close(): Promise<void>;
}

export async function startTestGateway(flags: Partial<Record<ConfigKey, unknown>> = {}, backend?: Backend): Promise<TestGateway> {
  const config = loadConfig({
    env: {},
    flags: { listen: '127.0.0.1:0', management: '127.0.0.1:0', chromiumPath: CHROMIUM_PATH, logLevel: process.env.SANDGATE_TEST_LOG ?? 'silent', ...flags },
  });
  const b = backend ?? createBackend(config);
  const gateway = new Gateway({ config, backend: b, identity: createIdentity(config), logger: createLogger(config.logLevel) });
  const { data, management } = await gateway.start();
  const addr = (a: AddressInfo) => `127.0.0.1:${a.port}`;
  return {
    gateway,
    config,
    backend: b,
    ws: `ws://${addr(data)}`,
    http: `http://${addr(data)}`,
    management: `http://${addr(management)}`,
    close: () => gateway.close(),
  };
}

/** Value of one Prometheus sample (summed over matching label sets), 0 when absent. */
export async function metric(managementUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${managementUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ls = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => ls.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}
