/**
 * openshell (grpc) beyond the contract: refused credentials, typed ERROR, stop/start as suspend,
 * adoption vs a foreign name holder, list scope, abort cleanup, concurrent tunnel connections, and
 * gateways that report UNKNOWN or lack WatchSandbox. Against the fake OpenShell gateway on loopback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SandgateError } from '../../../errors/errors.js';
import { chromiumSkip } from '../../../testing/prereq.js';
import type { Backend, Endpoint } from '../../types.js';
import { OpenShellApi } from './api.js';
import { OpenShellGrpcFixture } from './fixture.js';
import { cdpProbe, cdpVersion } from './probe.js';
import { createRequest } from './wire.js';

const skip = chromiumSkip();
const never = () => new AbortController().signal;
const url = (e: Endpoint) => `ws://${e.host}:${e.port}${e.basePath}/cdp`;
const typed = (code: string, reason?: string) => (err: unknown) => {
  assert.ok(err instanceof SandgateError, String(err));
  assert.equal(err.code, code, err.message);
  if (reason) assert.equal(err.detail?.reason, reason, err.message);
  return true;
};

describe('openshell (grpc)', { skip, timeout: 300_000 }, () => {
  const fixture = new OpenShellGrpcFixture();
  const backends: Backend[] = [];
  const make = (overrides: Parameters<OpenShellGrpcFixture['backend']>[0] = {}) => {
    const b = fixture.backend(overrides);
    backends.push(b);
    return b;
  };
  before(() => fixture.start());
  after(async () => {
    await Promise.all(backends.map((b) => b.close()));
    await fixture.close();
  });

  test('refused or missing credentials and an unreachable API are typed errors', async () => {
    const wrong = join(fixture.tokenFile, '..', 'wrong-token');
    await writeFile(wrong, 'not-the-token');
    await assert.rejects(make({ tokenFile: wrong }).ensure('t-auth', { signal: never() }), typed('SG_BACKEND_TERMINAL', 'UNAUTHENTICATED'));
    await assert.rejects(make({ tokenFile: undefined }).ensure('t-auth', { signal: never() }), typed('SG_BACKEND_TERMINAL', 'UNAUTHENTICATED'));
    await assert.rejects(make({ tokenFile: join(fixture.tokenFile, '..', 'missing') }).ensure('t-auth', { signal: never() }), typed('SG_BACKEND_TERMINAL', 'TokenUnreadable'));
    await assert.rejects(make({ endpoint: '127.0.0.1:1' }).ensure('t-auth', { signal: never() }), typed('SG_BACKEND_UNAVAILABLE', 'UNAVAILABLE'));
    assert.equal(fixture.fake.sandboxes.get(fixture.sandboxName('t-auth')), undefined);
  });

  test('a main process that exits is SG_BACKEND_TERMINAL with the exit code, and the failed sandbox is removed', async () => {
    const backend = make({ command: ['/usr/bin/no-such-runtime'] });
    await assert.rejects(backend.ensure('t-exit', { signal: never() }), (err: unknown) => {
      typed('SG_BACKEND_TERMINAL', 'MainProcessExited')(err);
      assert.match((err as Error).message, /exit code 127/);
      return true;
    });
    assert.deepEqual(await backend.list(), []);
  });

  test('suspend stops the sandbox (STOPPING → STOPPED), the next ensure starts it (STARTING → READY) with a new endpoint', async () => {
    const backend = make();
    const first = await backend.ensure('t-stop', { signal: never() });
    assert.match(await cdpVersion(url(first)), /Chrome/);
    const name = fixture.sandboxName('t-stop');
    const phases: string[] = [];
    const record = (s: { name: string; phase: string }) => s.name === name && phases.push(s.phase);
    fixture.fake.sandboxes.changes.add(record);
    try {
      await backend.suspend?.('t-stop');
      assert.equal(fixture.fake.sandboxes.get(name)?.phase, 'STOPPED');
      assert.equal(fixture.fake.sandboxes.get(name)?.process, undefined);
      assert.deepEqual((await backend.list()).map((s) => [s.tenant, s.state]), [['t-stop', 'suspended']]);
      await assert.rejects(cdpVersion(url(first)));
      const second = await backend.ensure('t-stop', { signal: never() });
      assert.notEqual(second.id, first.id);
      assert.equal(second.id.split('@')[0], first.id.split('@')[0]); // the same sandbox, started again
      assert.match(await cdpVersion(url(second)), /Chrome/);
      assert.deepEqual(phases, ['STOPPING', 'STOPPED', 'STARTING', 'READY']);
    } finally {
      fixture.fake.sandboxes.changes.delete(record);
    }
  });

  test('a replica of this gateway adopts the sandbox; another gateway holding the name gets NameTaken; foreign sandboxes are not listed', async () => {
    const a = make({ gatewayId: fixture.gatewayId });
    const replica = make({ gatewayId: fixture.gatewayId });
    const stranger = make({ gatewayId: 'someone-else' });
    const mine = await a.ensure('t-adopt', { signal: never() });
    const adopted = await replica.ensure('t-adopt', { signal: never() });
    assert.equal(adopted.id.split('@')[0], mine.id.split('@')[0]);
    assert.match(await cdpVersion(url(adopted)), /Chrome/);
    await assert.rejects(stranger.ensure('t-adopt', { signal: never() }), typed('SG_BACKEND_TERMINAL', 'NameTaken'));
    // Sandboxes without our labels (made by hand with the API) are invisible to list().
    const api = new OpenShellApi({ endpoint: fixture.fake.endpoint, tls: false, tokenFile: fixture.tokenFile });
    const foreign = createRequest({ name: 'hand-made', tenant: 't-adopt', image: 'busybox', port: 1, secret: 'x', gatewayId: 'x' });
    await api.create({ ...foreign, labels: {} });
    assert.deepEqual((await a.list()).map((s) => s.tenant), ['t-adopt']);
    assert.deepEqual(await stranger.list(), []);
    await api.delete('hand-made');
    api.close();
  });

  test('the last caller aborting after the sandbox exists deletes it; an earlier waiter leaving does not stop provisioning', async () => {
    const backend = make();
    const name = fixture.sandboxName('t-abort-late');
    const seen = new Promise<void>((resolve) => {
      const fn = (s: { name: string }) => s.name === name && resolve();
      fixture.fake.sandboxes.changes.add(fn);
    });
    const first = new AbortController();
    const second = new AbortController();
    const p1 = backend.ensure('t-abort-late', { signal: first.signal });
    const p2 = backend.ensure('t-abort-late', { signal: second.signal });
    await seen;
    first.abort(new Error('first caller left'));
    await assert.rejects(p1, typed('SG_ENSURE_ABORTED'));
    assert.ok(fixture.fake.sandboxes.get(name), 'still provisioning for the second caller');
    second.abort(new Error('second caller left'));
    await assert.rejects(p2, typed('SG_ENSURE_ABORTED'));
    assert.equal(fixture.fake.sandboxes.get(name), undefined);
    assert.deepEqual(await backend.list(), []);
  });

  test('the tunnel carries many concurrent connections (session tokens minted as the per-token limit requires) and closes them on release', async () => {
    const backend = make();
    const endpoint = await backend.ensure('t-many', { signal: never() });
    const before = fixture.fake.forwards;
    const probes = await Promise.all(Array.from({ length: 8 }, () => cdpProbe(url(endpoint))));
    const answers = await Promise.all(probes.map((p) => p.version()));
    assert.ok(answers.every((a) => /Chrome/.test(a.product)));
    assert.equal(fixture.fake.forwards - before, 8);
    assert.equal(fixture.fake.sessionsFor(endpoint.id.split('@')[0] ?? ''), 3); // 3 streams per token: ceil(8 / 3)
    const closed = Promise.all(probes.map((p) => new Promise((resolve) => p.socket.once('close', resolve))));
    await backend.release('t-many');
    await closed;
  });

  test('lost: a sandbox deleted out of band is reported with the reason', async () => {
    const backend = make();
    const endpoint = await backend.ensure('t-gone', { signal: never() });
    const lost = new Promise<[string, string, string]>((resolve) => backend.onLost((...args) => resolve(args)));
    const api = new OpenShellApi({ endpoint: fixture.fake.endpoint, tls: false, tokenFile: fixture.tokenFile });
    await api.delete(fixture.sandboxName('t-gone'));
    api.close();
    const [tenant, id, reason] = await lost;
    assert.deepEqual([tenant, id], ['t-gone', endpoint.id]);
    assert.match(reason, /deleted|being deleted/);
  });
});

describe('openshell (grpc) against older or slower gateways', { skip, timeout: 300_000 }, () => {
  test('a gateway without WatchSandbox is followed with GetSandbox; UNKNOWN before READY is waited through', async () => {
    const fixture = new OpenShellGrpcFixture({ noWatch: true, reportUnknown: true });
    await fixture.start();
    const backend = fixture.backend({ pollMs: 100 });
    const phases: string[] = [];
    fixture.fake.sandboxes.changes.add((s) => phases.push(s.phase));
    try {
      const endpoint = await backend.ensure('t-old', { signal: never() });
      assert.match(await cdpVersion(url(endpoint)), /Chrome/);
      assert.deepEqual(phases.slice(0, 3), ['PROVISIONING', 'UNKNOWN', 'READY']);
      await backend.release('t-old');
      assert.equal(fixture.fake.sandboxes.all().length, 0);
    } finally {
      await backend.close();
      await fixture.close();
    }
  });
});
