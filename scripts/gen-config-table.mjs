#!/usr/bin/env node
// Regenerates the configuration table in README.md from the schema (dist must be built).
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from '../dist/config/readme-table.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', withConfigTable(readme));
console.log('README.md configuration table updated');
