/** Session lifecycle through a real gateway: single-flight, reaping, lifetime, crashes. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { chromium } from 'playwright-core';
import { metric, startTestGateway } from '../testing/gateway.js';
import { chromiumSkip } from '../testing/prereq.js';
import { nextEvent } from '../testing/events.js';
import { descendants, isAlive, killRemaining } from '../process/tree.js';
import type { SandboxReleasedEvent } from '../observability/events.js';

const H = 'X-Sandgate-Tenant';

function openWs(url: string, tenant: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { [H]: tenant } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function closeCode(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Sandbox runtimes that are children of this test process. */
function runtimePids(): number[] {
  return descendants(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('sandbox');
    } catch {
      return false;
    }
  });
}

const released = (tenant: string, reason: string) =>
  nextEvent<SandboxReleasedEvent>('sandgate:released', (e) => e.tenant === tenant && e.reason === reason);

describe('session lifecycle', { skip: chromiumSkip(), timeout: 120_000 }, () => {
  test('50 concurrent first connects for one tenant start exactly one sandbox process', async () => {
    const gw = await startTestGateway({ maxConnectionsPerTenant: 0 });
    try {
      const before = runtimePids().length;
      const sockets = await Promise.all(Array.from({ length: 50 }, () => openWs(`${gw.ws}/cdp`, 'crowd')));
      assert.equal(runtimePids().length - before, 1);
      assert.equal((await gw.backend.list()).length, 1);
      for (const ws of sockets) ws.close();
    } finally {
      await gw.close();
    }
  });

  test('idle reap removes the sandbox process and counts in /metrics; the next connect gets a fresh one', async () => {
    const gw = await startTestGateway({ idleTtl: '300ms', reapInterval: '100ms' });
    try {
      const ws = await openWs(`${gw.ws}/cdp`, 'idle');
      const [info] = await gw.backend.list();
      const pids = info?.pids ?? [];
      assert.ok(pids.length >= 2, 'runtime and browser processes');
      const gone = released('idle', 'idle');
      ws.close();
      await gone;
      for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} still alive`);
      assert.equal(await metric(gw.management, 'sandgate_sessions_removed_total', { reason: 'idle' }), 1);
      const again = await openWs(`${gw.ws}/cdp`, 'idle');
      const [fresh] = await gw.backend.list();
      assert.notEqual(fresh?.pids?.[0], pids[0]);
      again.close();
    } finally {
      await gw.close();
    }
  });

  test('max lifetime closes open connections with 1001 and removes the sandbox', async () => {
    const gw = await startTestGateway({ maxLifetime: '5s', reapInterval: '100ms', idleTtl: '0' });
    try {
      const ws = await openWs(`${gw.ws}/cdp`, 'old');
      const pids = (await gw.backend.list())[0]?.pids ?? [];
      const gone = released('old', 'lifetime');
      const closed = closeCode(ws);
      assert.equal((await closed).code, 1001);
      await gone;
      for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} still alive`);
      assert.equal(await metric(gw.management, 'sandgate_sessions_removed_total', { reason: 'lifetime' }), 1);
    } finally {
      await gw.close();
    }
  });

  test('a sandbox killed mid-session: the tenant\'s next connect succeeds (noticed exit and immediate reconnect)', async () => {
    const gw = await startTestGateway();
    try {
      const url = `${gw.ws}/cdp`;
      const headers = { [H]: 'crashy' };
      for (const waitForExit of [true, false]) {
        const browser = await chromium.connectOverCDP(url, { headers });
        const pids = (await gw.backend.list())[0]?.pids ?? [];
        const lost = released('crashy', 'lost');
        const disconnected = new Promise((r) => browser.once('disconnected', r));
        killRemaining(pids);
        await disconnected;
        if (waitForExit) await lost;
        else lost.catch(() => undefined);
        const again = await chromium.connectOverCDP(url, { headers });
        const page = await again.contexts()[0]!.newPage();
        assert.equal(await page.evaluate(() => 6 * 7), 42);
        await again.close();
        assert.notEqual((await gw.backend.list())[0]?.pids?.[0], pids[0]);
      }
    } finally {
      await gw.close();
    }
  });
});
