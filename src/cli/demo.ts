/**
 * `sandgate demo`: starts an embedded gateway with local sandboxes and shows two tenants each
 * getting their own browser through the Playwright protocol and CDP.
 */
import type { Command } from 'commander';
import { chromium } from 'playwright-core';
import { loadConfig } from '../config/load.js';
import { createBackend } from '../backends/index.js';
import { createIdentity } from '../identity/index.js';
import { createLogger } from '../observability/logger.js';
import { Gateway } from '../gateway/gateway.js';
import { startFixtureServer } from '../fixture/fixture-server.js';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - t0)];
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run an embedded gateway with local sandboxes and connect two tenants through it')
    .action(async () => {
      const config = loadConfig({ flags: { listen: '127.0.0.1:0', management: '127.0.0.1:0', logLevel: 'warn' } });
      const gateway = new Gateway({ config, backend: createBackend(config), identity: createIdentity(config), logger: createLogger(config.logLevel) });
      const fixture = await startFixtureServer();
      const { data } = await gateway.start();
      const base = `ws://127.0.0.1:${data.port}`;
      const out = (s: string) => process.stdout.write(s + '\n');
      out(`gateway on ${base}  (backend ${config.backend}, identity header ${config.identityHeader})`);
      try {
        for (const tenant of ['alice', 'bob', 'alice']) {
          const headers = { [config.identityHeader]: tenant };
          const [browser, connectMs] = await timed(() => chromium.connect(`${base}/playwright`, { headers }));
          const [page, pageMs] = await timed(() => browser.newContext().then((c) => c.newPage()));
          const [, gotoMs] = await timed(() => page.goto(fixture.url, { waitUntil: 'load' }));
          out(`playwright  tenant=${tenant.padEnd(6)} connect ${connectMs} ms  newPage ${pageMs} ms  goto ${gotoMs} ms  title "${await page.title()}"`);
          await browser.close();
        }
        const cdp = await chromium.connectOverCDP(`${base}/cdp`, { headers: { [config.identityHeader]: 'alice' } });
        out(`cdp         tenant=alice  same browser, ${cdp.contexts().length} default context, version ${cdp.version()}`);
        await cdp.close();
        const sandboxes = await gateway.sessions.snapshot();
        out(`sandboxes: ${sandboxes.map((s) => s.tenant).join(', ')}`);
      } finally {
        await gateway.close();
        await fixture.close();
      }
    });
}
