/**
 * substrate actor states against the fake control plane: start() touches no actor, list() only ours,
 * SUSPENDED/PAUSED/transient actors are resumed or waited out, no free worker is a retryable typed
 * error, a crash reboots once, suspend → resume keeps the live browser, settings() reach the fixture.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chromium } from 'playwright-core';
import { SandgateError } from '../../errors/errors.js';
import { loadConfig } from '../../config/load.js';
import { chromiumSkip } from '../../testing/prereq.js';
import { createBackend } from '../index.js';
import type { Endpoint } from '../types.js';
import { ATESPACE, SubstrateFixture } from './fixture.js';

const skip = chromiumSkip();
const never = () => new AbortController().signal;

/** GET through the router with the endpoint's Host header (fetch() would not send a custom Host). */
function cdp(endpoint: Endpoint, route: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: endpoint.host, port: endpoint.port, path: `${endpoint.basePath}${route}`, headers: endpoint.headers ?? {} }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${res.statusCode}: ${body}`))));
      })
      .on('error', reject);
  });
}

describe('substrate (actor-ref) actor states', { skip, timeout: 240_000 }, () => {
  const fixture = new SubstrateFixture({ api: 'actor-ref', auth: 'mtls', capacity: 2, transitionMs: 300, noWorker: 'FAILED_PRECONDITION' });
  before(() => fixture.start());
  after(() => fixture.close());

  test('start() makes no call to the API; list() shows only this gateway\'s actors', async () => {
    const other = fixture.backend();
    await other.start();
    await other.ensure('elsewhere', { signal: never() });
    await fixture.cp.store.freeze(fixture.cp.actor(ATESPACE, other.actorName('elsewhere'))!, 'SUSPENDED');
    const calls = fixture.cp.calls.length;
    const mine = fixture.backend();
    await mine.start();
    assert.equal(fixture.cp.calls.length, calls, 'start() called the API');
    assert.equal(fixture.cp.actor(ATESPACE, other.actorName('elsewhere'))?.status, 'SUSPENDED');
    assert.deepEqual(await mine.list(), []);
    assert.deepEqual((await other.list()).map((s) => [s.tenant, s.state]), [['elsewhere', 'suspended']]);
    await other.close();
    await mine.close();
  });

  test('ensure waits out RESUMING, resumes PAUSED/SUSPENDED, and keeps the live browser across suspend', async () => {
    const backend = fixture.backend({ gatewayId: 'gw-live' });
    await backend.start();
    const endpoint = await backend.ensure('live', { signal: never() });
    const browser = await chromium.connectOverCDP(`ws://${endpoint.host}:${endpoint.port}${endpoint.basePath}/cdp`, { headers: endpoint.headers ?? {} });
    const page = await browser.contexts()[0]!.newPage();
    await page.goto('about:blank#sg-marker');
    await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'kept'));
    await backend.suspend('live');
    const actor = fixture.cp.actor(ATESPACE, backend.actorName('live'))!;
    assert.equal(actor.status, 'PAUSED');
    await browser.close().catch(() => undefined);
    const again = await backend.ensure('live', { signal: never() });
    assert.equal(again.id, endpoint.id, 'same incarnation after resume');
    const b2 = await chromium.connectOverCDP(`ws://${again.host}:${again.port}${again.basePath}/cdp`, { headers: again.headers ?? {} });
    const kept = b2.contexts()[0]!.pages().find((p) => p.url().endsWith('#sg-marker'));
    assert.ok(kept, 'the page survived suspend → resume');
    assert.equal(await kept.evaluate(() => (globalThis as unknown as { marker: string }).marker), 'kept');
    await b2.close().catch(() => undefined);
    // SUSPENDED out of band, then an out-of-band resume in flight (RESUMING): ensure waits it out.
    await fixture.cp.store.freeze(actor, 'SUSPENDED');
    const resuming = fixture.cp.store.resume(actor, false);
    assert.equal(actor.status, 'RESUMING');
    const replica = fixture.backend({ gatewayId: 'gw-live' }); // another replica adopts the actor
    const adopted = await replica.ensure('live', { signal: never() });
    assert.equal(actor.status, 'RUNNING');
    await resuming;
    assert.equal(adopted.headers?.Host, endpoint.headers?.Host);
    // And a PAUSING one: ensure waits for PAUSED, then resumes it.
    const pausing = fixture.cp.store.freeze(actor, 'PAUSED');
    assert.equal(actor.status, 'PAUSING');
    const third = fixture.backend({ gatewayId: 'gw-live' });
    await third.ensure('live', { signal: never() });
    await pausing;
    assert.equal(actor.status, 'RUNNING');
    await replica.release('live');
    assert.equal(fixture.cp.actor(ATESPACE, backend.actorName('live')), undefined);
    await Promise.all([backend.close(), replica.close(), third.close()]);
  });

  test('no free worker is SG_BACKEND_UNAVAILABLE (retryable); a crash reboots once, with a new endpoint id', async () => {
    const backend = fixture.backend();
    await backend.start();
    try {
      await workerTest(backend);
    } finally {
      await backend.close();
    }
    assert.deepEqual(await backend.list(), []);
  });

  async function workerTest(backend: ReturnType<typeof fixture.backend>): Promise<void> {
    const [a] = await Promise.all([backend.ensure('w1', { signal: never() }), backend.ensure('w2', { signal: never() })]);
    await assert.rejects(backend.ensure('w3', { signal: never() }), (err: unknown) => {
      assert.ok(err instanceof SandgateError && err.code === 'SG_BACKEND_UNAVAILABLE', String(err));
      assert.equal(err.detail?.reason, 'NoFreeWorker');
      assert.ok((err.retryAfter ?? 0) > 0);
      return true;
    });
    const lost = new Promise<string>((resolve) => backend.onLost((_t, _id, reason) => resolve(reason)));
    fixture.cp.store.crash(fixture.cp.actor(ATESPACE, backend.actorName('w1'))!);
    assert.match(await lost, /crashed/);
    const rebooted = await backend.ensure('w1', { signal: never() });
    assert.notEqual(rebooted.id, a?.id);
    assert.ok(fixture.cp.calls.includes('ResumeActor'));
    assert.match(String(((await cdp(rebooted, '/json/version')) as { Browser?: string }).Browser), /Chrom/);
  }

  test('settings() reach this fixture through createBackend(loadConfig(…))', async () => {
    const backend = createBackend(loadConfig({ env: fixture.settings(), flags: {} }));
    await backend.start();
    try {
      const endpoint = await backend.ensure('from-settings', { signal: never() });
      assert.match(String(((await cdp(endpoint, '/json/version')) as { Browser?: string }).Browser), /Chrom/);
    } finally {
      await backend.close();
    }
  });
});
