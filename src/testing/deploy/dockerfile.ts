/**
 * Reads deploy/image/Dockerfile and .dockerignore the way a builder does, for tests that check the image
 * recipe without a container engine: instructions (continuations joined, comments dropped), stages, and
 * which context paths .dockerignore admits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  op: string;
  /** The arguments, as written (continuations joined). */
  text: string;
  /** --flag=value options (COPY --from, …). */
  flags: Record<string, string>;
  /** Whitespace-separated words after the flags, or the items of a JSON array form. */
  words: string[];
  stage: number;
}

export interface Dockerfile {
  instructions: Instruction[];
  /** Stage names by index (`FROM … AS name`; unnamed stages get their index). */
  stages: string[];
  args: Record<string, string>;
}

export function parseDockerfile(text: string): Dockerfile {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue; // comments, also inside a continuation
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) lines.push(full);
  }
  const out: Dockerfile = { instructions: [], stages: [], args: {} };
  let stage = -1;
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      stage += 1;
      out.stages.push(/\bAS\s+(\S+)\s*$/i.exec(rest)?.[1] ?? String(stage));
    }
    if (upper === 'ARG' && stage < 0) {
      const [name = '', value = ''] = rest.split('=');
      out.args[name] = value;
    }
    const flags: Record<string, string> = {};
    let body = rest;
    for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(body); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(body)) {
      flags[m[1] ?? ''] = m[2] ?? '';
      body = body.slice(m[0].length);
    }
    const words = body.startsWith('[') ? (JSON.parse(body) as string[]) : body.split(/\s+/).filter(Boolean);
    out.instructions.push({ op: upper, text: rest, flags, words, stage });
  }
  return out;
}

export function readDockerfile(root: string, file = 'deploy/image/Dockerfile'): Dockerfile {
  return parseDockerfile(readFileSync(join(root, file), 'utf8'));
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether .dockerignore keeps `path` (relative, no leading ./) in the build context: the last pattern
 * matching the path or one of its parent directories decides; `!` re-includes.
 */
export function dockerignoreAdmits(dockerignore: string, path: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ negate: l.startsWith('!'), re: globToRegExp(l.replace(/^!/, '').replace(/^\/+|\/+$/g, '')) }));
  const parts = path.replace(/\/+$/, '').split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let admitted = true;
  for (const rule of rules) {
    if (prefixes.some((p) => rule.re.test(p))) admitted = rule.negate;
  }
  return admitted;
}
