/** Bad inputs and failing sandboxes get their documented answers; the gateway keeps serving others. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { chromiumSkip } from '../testing/prereq.js';
import { rawRequest, upgradeRequest, type RawResponse } from '../testing/raw-http.js';
import type { Backend, Endpoint } from '../backends/types.js';

const H = 'X-Sandgate-Tenant';
const portOf = (url: string) => Number(new URL(url).port);
const code = (r: RawResponse) => (JSON.parse(r.body) as { error: { code: string } }).error.code;

/** A backend whose one sandbox is a loopback server that refuses every upgrade with a given answer. */
function refusingBackend(port: number): Backend {
  const endpoint: Endpoint = { host: '127.0.0.1', port, basePath: '/secret', id: 'refuser' };
  return {
    name: 'refusing',
    capabilities: { suspend: false, livePause: false, persistentState: false, warmPool: false, isolation: 'process', suspendKeeps: [] },
    start: async () => undefined,
    close: async () => undefined,
    ensure: async () => endpoint,
    release: async () => undefined,
    list: async () => [],
    onLost: () => undefined,
  };
}

/** A backend that never becomes ready (honours the abort signal). */
const stuckBackend: Backend = {
  ...refusingBackend(1),
  name: 'stuck',
  ensure: (_t, { signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
};

describe('bad input', { skip: chromiumSkip(), timeout: 120_000 }, () => {
  let gw: TestGateway;
  let port: number;
  before(async () => {
    gw = await startTestGateway({ maxConnectionsPerTenant: 2 });
    port = portOf(gw.http);
  });
  after(() => gw?.close());

  test('malformed upgrades and non-HTTP bytes → 400 SG_BAD_REQUEST', async () => {
    const noKey = await rawRequest(port, `GET /cdp HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${H}: x\r\n\r\n`);
    assert.equal(noKey.status, 400);
    assert.equal(code(noKey), 'SG_BAD_REQUEST');
    const garbage = await rawRequest(port, 'HELLO \x00\x01\x02 NOT HTTP\r\n\r\n');
    assert.equal(garbage.status, 400);
  });

  test('oversize headers → 431', async () => {
    const r = await rawRequest(port, upgradeRequest('/cdp', { [H]: 'x', 'X-Big': 'a'.repeat(40_000) }));
    assert.equal(r.status, 431);
    assert.equal(code(r), 'SG_HEADERS_TOO_LARGE');
  });

  test('bad tenant ids → 400 SG_TENANT_INVALID; no identity → 401 naming what is expected', async () => {
    for (const tenant of ['', 'x'.repeat(129)]) {
      const r = await rawRequest(port, upgradeRequest('/cdp', { [H]: tenant }));
      assert.equal(r.status, 400, `tenant of length ${tenant.length}`);
      assert.equal(code(r), 'SG_TENANT_INVALID');
    }
    const none = await rawRequest(port, upgradeRequest('/cdp'));
    assert.equal(none.status, 401);
    assert.match(none.body, /X-Sandgate-Tenant/);
  });

  test('unknown paths → 404; plain HTTP to a WebSocket route → 426', async () => {
    const ws = await rawRequest(port, upgradeRequest('/nope', { [H]: 'x' }));
    assert.equal(ws.status, 404);
    assert.equal(code(ws), 'SG_ROUTE_NOT_FOUND');
    const plain = await fetch(`${gw.http}/nope`, { headers: { [H]: 'x' } });
    assert.equal(plain.status, 404);
    const needsUpgrade = await fetch(`${gw.http}/cdp`, { headers: { [H]: 'x' } });
    assert.equal(needsUpgrade.status, 426);
  });

  test('per-tenant connection cap → 429 for the third connection', async () => {
    const url = `${gw.ws}/cdp`;
    const a = await chromium.connectOverCDP(url, { headers: { [H]: 'capped' } });
    const b = await chromium.connectOverCDP(url, { headers: { [H]: 'capped' } });
    const r = await rawRequest(port, upgradeRequest('/cdp', { [H]: 'capped' }));
    assert.equal(r.status, 429);
    assert.equal(code(r), 'SG_TENANT_CONN_LIMIT');
    await a.close();
    await b.close();
  });

  test('after all of that the gateway still serves other tenants', async () => {
    const browser = await chromium.connectOverCDP(`${gw.ws}/cdp`, { headers: { [H]: 'bystander' } });
    assert.match(browser.version(), /\d/);
    await browser.close();
  });
});

describe('failing sandboxes', { skip: chromiumSkip(), timeout: 60_000 }, () => {
  test('a sandbox that answers the upgrade with 4xx/5xx → the client gets that answer as is', async () => {
    const refuser = http.createServer();
    refuser.on('upgrade', (req, socket) => {
      const status = req.url?.endsWith('/playwright') ? '428 Precondition Required' : '500 Internal Server Error';
      socket.end(`HTTP/1.1 ${status}\r\nX-From-Sandbox: yes\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\nrefused`);
    });
    await new Promise<void>((r) => refuser.listen(0, '127.0.0.1', r));
    const gw = await startTestGateway({}, refusingBackend((refuser.address() as AddressInfo).port));
    try {
      const pw = await rawRequest(portOf(gw.http), upgradeRequest('/playwright', { [H]: 'r' }));
      assert.equal(pw.status, 428);
      assert.equal(pw.headers['x-from-sandbox'], 'yes');
      assert.equal(pw.body, 'refused');
      const cdp = await rawRequest(portOf(gw.http), upgradeRequest('/cdp', { [H]: 'r' }));
      assert.equal(cdp.status, 500);
    } finally {
      await gw.close();
      refuser.close();
    }
  });

  test('provisioning that outlives ensureTimeout → 503 SG_ENSURE_TIMEOUT with Retry-After', async () => {
    const gw = await startTestGateway({ ensureTimeout: '300ms' }, stuckBackend);
    try {
      const r = await rawRequest(portOf(gw.http), upgradeRequest('/cdp', { [H]: 'slow' }));
      assert.equal(r.status, 503);
      assert.equal(code(r), 'SG_ENSURE_TIMEOUT');
      assert.ok(Number(r.headers['retry-after']) > 0);
    } finally {
      await gw.close();
    }
  });

  test('a backend that cannot start a browser → 502 SG_RUNTIME_FAILED', async () => {
    const gw = await startTestGateway({ chromiumPath: '/nonexistent/chromium' });
    try {
      const r = await rawRequest(portOf(gw.http), upgradeRequest('/cdp', { [H]: 'nobrowser' }));
      assert.equal(r.status, 502);
      assert.equal(code(r), 'SG_RUNTIME_FAILED');
    } finally {
      await gw.close();
    }
  });
});
