/**
 * Tests every Kubernetes-object backend runs beside the contract suite (test-only): another gateway's
 * objects are never listed, released or reaped, and a fixture's settings() reach the backend through
 * createBackend(loadConfig()).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAnswers } from '../../backends/contract.js';
import { createBackend } from '../../backends/index.js';
import type { Backend } from '../../backends/types.js';
import { loadConfig } from '../../config/load.js';

const never = () => new AbortController().signal;

export function kubeBackendTests(name: string, fixture: { backend(overrides: { gatewayId: string }): Backend; settings(): Record<string, string> }): void {
  test(`${name}: list, release and close never touch another gateway's objects`, async () => {
    const a = fixture.backend({ gatewayId: 'gw-a' });
    const b = fixture.backend({ gatewayId: 'gw-b' });
    await Promise.all([a.start(), b.start()]);
    try {
      const [ea] = await Promise.all([a.ensure('ta', { signal: never() }), b.ensure('tb', { signal: never() })]);
      assert.deepEqual((await b.list()).map((s) => s.tenant), ['tb']);
      await b.release('ta'); // not b's: a no-op
      await b.close(); // reaps only b's own
      assert.deepEqual((await a.list()).map((s) => s.tenant), ['ta']);
      assert.match(await browserAnswers(ea), /\d+\./);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test(`${name}: the fixture's settings reach it through createBackend(loadConfig())`, async () => {
    const backend = createBackend(loadConfig({ env: fixture.settings() }));
    assert.equal(backend.name, name);
    await backend.start();
    try {
      const endpoint = await backend.ensure('via-config', { signal: never() });
      assert.match(await browserAnswers(endpoint), /\d+\./);
    } finally {
      await backend.close();
    }
  });
}
