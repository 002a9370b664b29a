/**
 * What the ForwardTcp data path costs: CDP round trips (Browser.getVersion) on one WebSocket, direct
 * to the runtime vs through the tunnel (loopback listener → ForwardTcp → gateway → runtime), many
 * samples, interleaved in blocks so load on the machine hits both alike. Prints p50/p95/p99.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumSkip } from '../../../testing/prereq.js';
import { OpenShellGrpcFixture, SANDBOX_PORT } from './fixture.js';
import { percentile } from '../../../util/percentile.js';
import { cdpProbe, type CdpProbe } from './probe.js';

const skip = chromiumSkip();
const fixture = new OpenShellGrpcFixture();
const SAMPLES = Number(process.env.SANDGATE_OVERHEAD_SAMPLES ?? 2000);
const BLOCK = 100;

before(async () => {
  if (!skip) await fixture.start();
});
after(async () => {
  if (!skip) await fixture.close();
});

async function sample(probe: CdpProbe, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const { product, ms } = await probe.version();
    assert.match(product, /Chrome/);
    into.push(ms);
  }
}

test('openshell (grpc): CDP round trip through the ForwardTcp tunnel vs direct', { skip, timeout: 300_000 }, async () => {
  const backend = fixture.backend();
  try {
    const endpoint = await backend.ensure('t-overhead', { signal: new AbortController().signal });
    const ip = fixture.fake.sandboxes.get(backend.sandboxName('t-overhead'))?.ip;
    assert.ok(ip);
    const direct = await cdpProbe(`ws://${ip}:${SANDBOX_PORT}${endpoint.basePath}/cdp`);
    const tunnel = await cdpProbe(`ws://${endpoint.host}:${endpoint.port}${endpoint.basePath}/cdp`);
    await sample(direct, 50, []); // warm-up
    await sample(tunnel, 50, []);
    const d: number[] = [];
    const t: number[] = [];
    for (let done = 0; done < SAMPLES; done += BLOCK) {
      await sample(direct, BLOCK, d);
      await sample(tunnel, BLOCK, t);
    }
    direct.close();
    tunnel.close();
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { p50: +percentile(s, 50).toFixed(3), p95: +percentile(s, 95).toFixed(3), p99: +percentile(s, 99).toFixed(3) };
    };
    const sd = stats(d);
    const st = stats(t);
    console.log(JSON.stringify({ samples: SAMPLES, directMs: sd, tunnelMs: st, addedP50Ms: +(st.p50 - sd.p50).toFixed(3), addedP95Ms: +(st.p95 - sd.p95).toFixed(3) }));
    assert.equal(t.length, SAMPLES);
    // The tunnel adds two loopback hops and gRPC framing: a few hundred µs, not tens of ms.
    assert.ok(st.p50 - sd.p50 < 5, `tunnel adds ${st.p50 - sd.p50} ms at p50`);
  } finally {
    await backend.close();
  }
});
