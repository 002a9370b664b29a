/** The restore state check against a browser that really kept its state (a CDP reconnect to a live runtime). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixtureServer } from '../fixture/fixture-server.js';
import { closeSession, timedSample } from './sample.js';
import { checkState, writeState } from './state.js';
import { startDirect } from './targets.js';
import { CHROMIUM_PATH, chromiumSkip } from '../testing/prereq.js';

test('checkState sees cookie, localStorage, memory and the open page when the browser kept them', { skip: chromiumSkip(), timeout: 60_000 }, async () => {
  const fixture = await startFixtureServer();
  const runtime = await startDirect(1, CHROMIUM_PATH, []);
  try {
    const opts = { protocol: 'cdp' as const, target: fixture.url, timeoutMs: 20_000 };
    const first = await timedSample(runtime.conn(0, 'cdp'), opts);
    assert.ok(first.session, first.errorMessage);
    await writeState(first.session, fixture.url, 'marker-1');
    await closeSession(first.session, true); // the page stays open in the default context
    const second = await timedSample(runtime.conn(0, 'cdp'), opts);
    assert.ok(second.session, second.errorMessage);
    assert.deepEqual(await checkState(second.session, fixture.url, 'marker-1'), { cookie: true, localStorage: true, memory: true, page: true });
    assert.deepEqual(await checkState(second.session, fixture.url, 'other'), { cookie: false, localStorage: false, memory: false, page: true });
    await closeSession(second.session);
  } finally {
    await runtime.close();
    await fixture.close();
  }
});
