/**
 * The backend contract suite against openshell (grpc) and a fake OpenShell gateway on loopback, and
 * the fixture's SANDGATE_* settings reaching it through loadConfig + createBackend.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../config/load.js';
import { backendContract } from '../../contract.js';
import { createBackend } from '../../index.js';
import { chromiumSkip } from '../../../testing/prereq.js';
import { OpenShellGrpcFixture } from './fixture.js';
import { cdpVersion } from './probe.js';

const skip = chromiumSkip();
const fixture = new OpenShellGrpcFixture();

before(async () => {
  if (!skip) await fixture.start();
});
after(async () => {
  if (!skip) await fixture.close();
});

backendContract('openshell (grpc)', {
  skip,
  async make() {
    const backend = fixture.backend();
    return { backend, kill: async (tenant) => fixture.fake.kill(backend.sandboxName(tenant)) };
  },
  async makeBroken() {
    return fixture.backend({ image: 'registry.example.com/no-such-image:1' });
  },
});

test('openshell (grpc): createBackend(loadConfig(settings())) provisions a tenant whose browser answers', { skip, timeout: 120_000 }, async () => {
  const backend = createBackend(loadConfig({ env: fixture.settings() }));
  await backend.start();
  try {
    assert.equal(backend.name, 'openshell');
    const endpoint = await backend.ensure('t-settings', { signal: new AbortController().signal });
    assert.match(await cdpVersion(`ws://${endpoint.host}:${endpoint.port}${endpoint.basePath}/cdp`), /Chrome/);
    const [info] = await backend.list();
    assert.equal(info?.tenant, 't-settings');
    assert.equal(fixture.fake.sandboxes.get(info?.resource ?? '')?.labels['sandgate.io/gateway'], fixture.gatewayId);
  } finally {
    await backend.close();
  }
});
