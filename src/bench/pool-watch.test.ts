/** Tests for pool-watch.ts: claims vs. misses per run, from ensure events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { PoolWatch } from './pool-watch.js';

const publish = (ms: number, reused = false, outcome = 'ok') =>
  diagnostics.channel('sandgate:ensure').publish({ backend: 'local-process', outcome, ms, reused });

test('ensures are attributed to the current run; slow ones are misses; reused and failed ones are ignored', () => {
  const w = new PoolWatch();
  w.start();
  try {
    publish(900); // before any run: ignored
    w.beginRun(0);
    publish(2);
    publish(850);
    w.beginRun(1);
    publish(1);
    publish(0, true);
    publish(1200, false, 'error');
    w.beginRun(2);
    publish(700);
  } finally {
    w.stop();
  }
  publish(999); // after stop: ignored
  assert.equal(w.missesIn(0), 1);
  assert.equal(w.missesIn(1), 0);
  assert.deepEqual(w.total(0), { misses: 2, claims: 4 });
  assert.deepEqual(w.total(1), { misses: 1, claims: 2 });
});
