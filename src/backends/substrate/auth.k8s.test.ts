/**
 * substrate auth against the fake control plane: jwt with a real ServiceAccount token from the test
 * kube-apiserver (re-read per call, so a rotated token is used), mTLS with the CA-signed client
 * certificate; refused credentials are typed errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandgateError } from '../../errors/errors.js';
import { k8sSkip } from '../../testing/k8s/cluster.js';
import { SubstrateFixture } from './fixture.js';

const skip = k8sSkip();
const typed = (code: string, reason?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof SandgateError, String(err));
  assert.equal(err.code, code, err.message);
  if (reason) assert.match(err.message, reason);
  return true;
};

describe('substrate (actor-ref) jwt auth', { skip, timeout: 120_000 }, () => {
  const fixture = new SubstrateFixture({ api: 'actor-ref', auth: 'jwt' });
  before(() => fixture.start());
  after(() => fixture.close());

  test('a projected ServiceAccount token is accepted, and a rotated one is picked up without a restart', async () => {
    const backend = fixture.backend();
    assert.deepEqual(await backend.list(), []);
    const before = fixture.cp.bearers.at(-1);
    await new Promise((r) => setTimeout(r, 1100)); // a new iat, so a different token
    await fixture.rotateToken();
    assert.deepEqual(await backend.list(), []);
    assert.ok(before && fixture.cp.bearers.at(-1) && fixture.cp.bearers.at(-1) !== before, 'the second call carried the rotated token');
  });

  test('a token the API server rejects is SG_BACKEND_TERMINAL (UNAUTHENTICATED)', async () => {
    const bad = join(fixture.pki.dir, 'bad-token');
    writeFileSync(bad, 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
    await assert.rejects(fixture.backend({ tokenFile: bad }).list(), typed('SG_BACKEND_TERMINAL', /UNAUTHENTICATED/));
  });

  test('a missing token file is SG_BACKEND_TERMINAL naming the file', async () => {
    await assert.rejects(fixture.backend({ tokenFile: join(fixture.pki.dir, 'absent') }).list(), typed('SG_BACKEND_TERMINAL', /absent/));
  });

  test('a server certificate from another CA is refused (SG_BACKEND_UNAVAILABLE)', async () => {
    await assert.rejects(fixture.backend({ caFile: fixture.pki.rogueCa }).list(), typed('SG_BACKEND_UNAVAILABLE'));
  });

  test('a server name the certificate does not carry is refused', async () => {
    await assert.rejects(fixture.backend({ serverName: 'elsewhere.example' }).list(), typed('SG_BACKEND_UNAVAILABLE'));
  });
});

describe('substrate (actor-id) mtls auth', { skip, timeout: 120_000 }, () => {
  const fixture = new SubstrateFixture({ api: 'actor-id', auth: 'mtls' });
  before(() => fixture.start());
  after(() => fixture.close());

  test('the CA-signed client certificate is accepted', async () => {
    assert.deepEqual(await fixture.backend().list(), []);
  });

  test('a client certificate from an untrusted CA fails the handshake (SG_BACKEND_UNAVAILABLE)', async () => {
    await assert.rejects(fixture.backend({ certFile: fixture.pki.rogueCert, keyFile: fixture.pki.rogueKey }).list(), typed('SG_BACKEND_UNAVAILABLE'));
  });

  test('mtls without a client certificate is a configuration error', () => {
    assert.throws(() => fixture.backend({ certFile: '', keyFile: '' }), typed('SG_CONFIG_INVALID'));
  });
});
