import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ROLLOUTS_KEYS } from './load.js';
import { configTable, withConfigTable } from './table.js';

const doc = readFileSync(new URL('../../../docs/rollouts.md', import.meta.url), 'utf8');

test('docs/rollouts.md carries the generated configuration table', () => {
  assert.equal(withConfigTable(doc), doc, 'stale: run `node dist/cli/main.js rollouts config-table --update docs/rollouts.md`');
  assert.ok(doc.includes(configTable()));
  for (const key of ROLLOUTS_KEYS) assert.ok(doc.includes(`| \`${key}\` |`), key);
});
