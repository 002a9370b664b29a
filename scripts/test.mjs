#!/usr/bin/env node
// Runs the compiled test files of one or more layers with node's test runner.
//   node scripts/test.mjs unit|integration|all
// unit: dist/**/*.test.js except *.int.test.js (no network, no browser)
// integration: dist/**/*.int.test.js (real Chromium, real clients, one file at a time)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const layer = process.argv[2] ?? 'all';
const filter = process.argv[3];
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const all = files('dist').filter((f) => f.endsWith('.test.js') && (!filter || f.includes(filter)));
const unit = all.filter((f) => !f.endsWith('.int.test.js') && !f.endsWith('.k8s.test.js')); // *.k8s.test.js: npm run test:k8s
const integration = all.filter((f) => f.endsWith('.int.test.js'));

function run(name, list, extra) {
  if (list.length === 0) {
    console.error(`no ${name} test files found under dist/ — did the build run?`);
    process.exit(1);
  }
  console.log(`\n== ${name} tests (${list.length} files)`);
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...extra, ...list], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (layer === 'unit' || layer === 'all') run('unit', unit, []);
if (layer === 'integration' || layer === 'all') run('integration', integration, ['--test-concurrency=1']);
