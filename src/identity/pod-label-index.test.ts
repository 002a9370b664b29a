import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodIpIndex, type PodFacts } from './pod-label-index.js';

const pod = (uid: string, ip: string, tenant: string | undefined, since = 1, gone = false): PodFacts => ({ uid, ips: [ip], tenant, gone, since });

test('add, update (label change, IP change) and delete keep the index exact', () => {
  const index = new PodIpIndex();
  index.upsert(pod('a', '10.0.0.1', 'alice'));
  assert.equal(index.lookup('10.0.0.1'), 'alice');
  index.upsert(pod('a', '10.0.0.1', 'alice2'));
  assert.equal(index.lookup('10.0.0.1'), 'alice2');
  index.upsert(pod('a', '10.0.0.9', 'alice2'));
  assert.equal(index.lookup('10.0.0.1'), undefined);
  assert.equal(index.lookup('10.0.0.9'), 'alice2');
  index.upsert(pod('a', '10.0.0.9', undefined)); // label removed
  assert.equal(index.lookup('10.0.0.9'), undefined);
  index.upsert(pod('a', '10.0.0.9', 'alice'));
  index.remove('a');
  assert.equal(index.lookup('10.0.0.9'), undefined);
  assert.equal(index.size, 0);
});

test('IP reuse: a terminating pod gives its IP up; the newest live pod wins; deleting the old one keeps the new', () => {
  const index = new PodIpIndex();
  index.upsert(pod('old', '10.0.0.2', 'alice', 1));
  index.upsert(pod('new', '10.0.0.2', 'bob', 2));
  assert.equal(index.lookup('10.0.0.2'), 'bob');
  index.remove('old');
  assert.equal(index.lookup('10.0.0.2'), 'bob');
  index.upsert(pod('new', '10.0.0.2', 'bob', 2, true));
  assert.equal(index.lookup('10.0.0.2'), undefined);
});

test('a miss waits for the event that indexes the IP, bounded', async () => {
  const index = new PodIpIndex();
  const started = Date.now();
  const pending = index.waitFor('10.0.0.3', 5000);
  setTimeout(() => index.upsert(pod('c', '10.0.0.3', 'carol')), 20);
  assert.equal(await pending, 'carol');
  assert.ok(Date.now() - started < 1000);
  assert.equal(await index.waitFor('10.0.0.4', 30), undefined);
});
