/**
 * The bench runs against every Kubernetes-layer backend in this setup (the real `sandgate bench` per
 * backend, fixtures up): one run per cell, every cell passes, and each row's label says what stands
 * in for the real system (a fake on loopback, a test controller, or the real controller).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumSkip } from '../../prereq.js';
import { k8sSkip } from '../cluster.js';
import { BENCH_FIXTURES } from './fixtures.js';
import { benchK8s } from './run.js';

const skip = k8sSkip() || chromiumSkip();

test('bench: cold, warm and restore through an embedded gateway on every Kubernetes-layer backend', { skip, timeout: 1_800_000 }, async () => {
  const ids = Object.keys(BENCH_FIXTURES);
  const result = await benchK8s({ backends: ids, runs: 1, warmup: 0, scenarios: 'cold,warm,restore', progress: () => undefined });
  const labels = [...new Set(result.cells.map((c) => c.backend))];
  assert.equal(labels.length, ids.length, `one label per fixture: ${labels.join(' | ')}`);
  for (const label of labels) assert.match(label, /\((real controller|fake .+|test controller.*|kubernetes: .+)\)$/, `${label} says what runs it`);
  const failed = result.cells.filter((c) => c.result !== 'PASS');
  assert.deepEqual(failed.map((c) => `${c.backend} ${c.scenario}: ${c.reason ?? JSON.stringify(c.errors)}`), []);
  assert.equal(result.cells.length, ids.length * 3);
});
