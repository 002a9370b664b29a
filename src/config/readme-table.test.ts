import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withConfigTable } from './readme-table.js';

test('README configuration table matches the schema (run `npm run docs:config` to regenerate)', () => {
  const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
  const readme = readFileSync(readmePath, 'utf8');
  assert.equal(readme, withConfigTable(readme));
});
