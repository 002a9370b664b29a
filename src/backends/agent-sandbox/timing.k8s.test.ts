/**
 * Ensure latency of the agent-sandbox backend on this machine (n=5 each, medians printed as JSON):
 * pooled (claim binds a ready pool sandbox), cold (empty pool: the pod and browser start on demand),
 * warm (tenant already ready in this gateway: no API call) and adopt (another replica's ready claim:
 * create → 409 → watch). Bounds are loose sanity checks; the numbers are the point.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumSkip } from '../../testing/prereq.js';
import { k8sSkip } from '../../testing/k8s/cluster.js';
import type { AgentSandboxBackend } from './index.js';
import { AgentSandboxFixture } from './fixture.js';
import { median } from './inspect.js';

const skip = k8sSkip() || chromiumSkip();
const N = 5;
const never = () => new AbortController().signal;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
}

describe('agent-sandbox ensure timings', { skip, timeout: 600_000 }, () => {
  const fx = new AgentSandboxFixture();
  const results: Record<string, number[]> = { pooled: [], cold: [], warm: [], adopt: [] };
  let backend: AgentSandboxBackend;
  before(async () => {
    await fx.start('timing', 2);
    backend = fx.backend({ gatewayId: 'gw-timing' });
    await backend.start();
  });
  after(async () => {
    await backend.close();
    await fx.close();
  });

  test('pooled, warm and adopt', async () => {
    for (let i = 0; i < N; i++) {
      await fx.sandboxes?.poolReady(2);
      const tenant = `pooled-${i}`;
      results.pooled?.push(await timed(() => backend.ensure(tenant, { signal: never() })));
      results.warm?.push(await timed(() => backend.ensure(tenant, { signal: never() })));
      const replica = fx.backend({ gatewayId: 'gw-timing' });
      await replica.start();
      results.adopt?.push(await timed(() => replica.ensure(tenant, { signal: never() })));
      await replica.close(); // releases the shared claim: also cleans up for the next round
    }
  });

  test('cold', async () => {
    await fx.sandboxes?.setReplicas(0);
    await fx.sandboxes?.poolReady(0);
    for (let i = 0; i < N; i++) {
      const tenant = `cold-${i}`;
      results.cold?.push(await timed(() => backend.ensure(tenant, { signal: never() })));
      await backend.release(tenant);
    }
  });

  test('report', () => {
    const medians = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
    console.log(JSON.stringify({ event: 'agent-sandbox-ensure-ms', n: N, medians, samples: results }));
    assert.ok((medians.pooled ?? Infinity) < 5_000, 'pooled median under 5 s');
    assert.ok((medians.cold ?? Infinity) < 20_000, 'cold median under 20 s');
    assert.ok((medians.warm ?? Infinity) < 50, 'warm median under 50 ms');
  });
});
