import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DNS1123_LABEL, labelValue, resourceName } from './names.js';

test('a clean id keeps its name: prefix + id, no hash', () => {
  assert.equal(resourceName('sg-', 'alice'), 'sg-alice');
  assert.equal(resourceName('sg-', 'team-7'), 'sg-team-7');
});

test('a changed id gets a hash suffix; names are deterministic, DNS-1123 and capped', () => {
  const ids = ['Alice', 'alice/1', 'a_b', 'ü', '--x--', 'x'.repeat(128), 'agent 42', '...'];
  for (const id of ids) {
    const name = resourceName('sg-', id);
    assert.ok(DNS1123_LABEL.test(name), name);
    assert.ok(name.length <= 63, name);
    assert.match(name, /-[0-9a-f]{8}$/);
    assert.equal(resourceName('sg-', id), name);
  }
  assert.ok(resourceName('sg-', 'y'.repeat(100), 47).length <= 47);
});

test('ids that clean up to the same text never share a name', () => {
  const names = new Set(['Alice', 'alice!', 'ALICE', 'alice', 'a-lice', 'a lice', 'a_lice'].map((id) => resourceName('sg-', id)));
  assert.equal(names.size, 7);
});

test('bad prefixes and caps are refused', () => {
  assert.throws(() => resourceName('SG-', 'a'));
  assert.throws(() => resourceName('1-', 'a'));
  assert.throws(() => resourceName('sg-', 'a', 10));
});

test('label values: valid ones kept, others replaced by a stable valid value', () => {
  assert.equal(labelValue('alice'), 'alice');
  assert.equal(labelValue('Alice_1.x'), 'Alice_1.x');
  const v = labelValue('team/alice');
  assert.match(v, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  assert.equal(labelValue('team/alice'), v);
  assert.ok(labelValue('z'.repeat(100)).length <= 63);
});
