#!/usr/bin/env node
// Import-boundary check: a folder is a boundary. Fails when a file imports a folder it must not.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const SRC = resolve(process.argv[2] ?? 'src');
// area → areas it must never import (relative imports resolved to their top-level src folder).
const FORBIDDEN = {
  backends: ['relay', 'gateway', 'sessions', 'identity', 'cli', 'bench'],
  relay: ['backends', 'sessions', 'identity', 'gateway', 'cli', 'bench', 'config'],
  sessions: ['relay', 'gateway', 'identity', 'cli', 'bench'],
  identity: ['relay', 'backends', 'sessions', 'gateway', 'cli', 'bench'],
  sandbox: ['backends', 'sessions', 'identity', 'gateway', 'cli', 'bench'],
  errors: ['*'],
  config: ['relay', 'backends', 'sessions', 'identity', 'gateway', 'cli', 'bench', 'sandbox'],
};

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const area = (file) => relative(SRC, file).split(sep)[0];
const problems = [];
for (const file of files(SRC)) {
  const from = area(file);
  const rules = FORBIDDEN[from];
  if (!rules) continue;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), m[1]);
    if (!target.startsWith(SRC)) continue;
    const to = area(target);
    if (to === from) continue;
    if (rules.includes('*') || rules.includes(to)) problems.push(`${relative(process.cwd(), file)}: ${from} must not import ${to} (${m[1]})`);
  }
}
if (problems.length > 0) {
  console.error('import boundaries violated:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('import boundaries ok');
