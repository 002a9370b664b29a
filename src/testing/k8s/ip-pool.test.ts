import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IpPool } from './ip-pool.js';

test('loopback pod IPs are distinct and inside the block', () => {
  const pool = new IpPool(42);
  const ips = Array.from({ length: 600 }, () => pool.allocate());
  assert.equal(new Set(ips).size, 600);
  assert.ok(ips.every((ip) => /^127\.42\.\d+\.\d+$/.test(ip) && !ip.endsWith('.0') && !ip.endsWith('.255')));
  assert.throws(() => new IpPool(0));
});
