import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actorName, ownerPrefix, parseTemplate, routerHost } from './names.js';

test('owner prefixes of different gateways never prefix each other', () => {
  const a = ownerPrefix('sg-', 'gw');
  const b = ownerPrefix('sg-', 'gw-2');
  assert.match(a, /^sg-[0-9a-f]{8}-$/);
  assert.ok(!b.startsWith(a) && !a.startsWith(b));
});

test('actor names are DNS-1123 labels, deterministic, distinct for distinct tenants', () => {
  const prefix = ownerPrefix('sg-', 'gw');
  assert.equal(actorName(prefix, 'alice'), `${prefix}alice`);
  assert.equal(actorName(prefix, 'Alice'), actorName(prefix, 'Alice'));
  assert.notEqual(actorName(prefix, 'Alice'), actorName(prefix, 'alice'));
  const long = actorName(prefix, 'x'.repeat(128));
  assert.ok(long.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(long), long);
});

test('router host with and without an atespace', () => {
  assert.equal(routerHost('sg-a', 'team'), 'sg-a.team.actors.resources.substrate.ate.dev');
  assert.equal(routerHost('sg-a', undefined), 'sg-a.actors.resources.substrate.ate.dev');
});

test('template references must be NAMESPACE/NAME', () => {
  assert.deepEqual(parseTemplate('ns/tpl'), { namespace: 'ns', name: 'tpl' });
  assert.throws(() => parseTemplate('tpl'), /NAMESPACE\/NAME/);
  assert.throws(() => parseTemplate('a/b/c'), /NAMESPACE\/NAME/);
});
