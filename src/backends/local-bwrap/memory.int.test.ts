/** A bwrap sandbox that exceeds its memory limit dies alone, and the gateway reports it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startTestGateway } from '../../testing/gateway.js';
import { bwrapSkip } from './testing.js';

const H = 'X-Sandgate-Tenant';

test('over its memory limit, a sandbox is OOM-killed without touching its neighbour', { skip: bwrapSkip(), timeout: 180_000 }, async () => {
  const gw = await startTestGateway({ backend: 'local-bwrap', sandboxDir: '/tmp/sandgate-test-oom', sandboxNetwork: 'none', sandboxMemory: '600m', maxConnectionsPerTenant: 0 });
  try {
    const url = `${gw.ws}/cdp`;
    const neighbour = await chromium.connectOverCDP(url, { headers: { [H]: 'neighbour' } });
    const calm = await neighbour.contexts()[0]!.newPage();
    await calm.evaluate(() => ((globalThis as unknown as { __calm: number }).__calm = 7));

    const hog = await chromium.connectOverCDP(url, { headers: { [H]: 'hog' } });
    const page = await hog.contexts()[0]!.newPage();
    const crashed = new Promise<string>((resolve) => {
      page.once('crash', () => resolve('renderer crashed'));
      hog.once('disconnected', () => resolve('browser died'));
    });
    // Touch 32 MiB at a time until something gives; outside the V8 heap so that the cgroup, not V8, decides.
    void page
      .evaluate(() => {
        const keep: Uint8Array[] = [];
        for (let i = 0; i < 200; i++) keep.push(new Uint8Array(32 * 1024 * 1024).fill(1));
        return keep.length;
      })
      .catch(() => undefined);
    assert.match(await crashed, /crashed|died/);

    const hogInfo = (await gw.backend.list()).find((s) => s.tenant === 'hog');
    assert.ok((hogInfo?.oomKills ?? 0) >= 1, `the OOM kill is reported (${JSON.stringify(hogInfo)})`);
    assert.equal(await calm.evaluate(() => (globalThis as unknown as { __calm: number }).__calm), 7, 'the neighbour is untouched');
    await neighbour.close();
    await hog.close().catch(() => undefined);
  } finally {
    await gw.close();
  }
});
