/** The configuration reference table of docs/rollouts.md, generated from the schema (a test keeps them equal). */
import { ROLLOUTS_KEYS, rolloutsEnvName, rolloutsFlagName } from './load.js';
import { ROLLOUTS_DEFAULTS, rolloutsShape } from './schema.js';

export const TABLE_START = '<!-- rollouts-config:start (generated from src/rollouts/config/schema.ts) -->';
export const TABLE_END = '<!-- rollouts-config:end -->';

function shown(value: unknown): string {
  if (value === '' || (Array.isArray(value) && value.length === 0)) return '(empty)';
  return '`' + (typeof value === 'string' ? value : JSON.stringify(value)) + '`';
}

export function configTable(): string {
  const rows = ROLLOUTS_KEYS.map((key) => {
    const d = ROLLOUTS_DEFAULTS[key];
    const flag = d === true ? `--no-${rolloutsFlagName(key)}` : `--${rolloutsFlagName(key)}`;
    return `| \`${key}\` | \`${rolloutsEnvName(key)}\` | \`${flag}\` | ${shown(d)} | ${(rolloutsShape[key].description ?? '').replace(/\|/g, '\\|')} |`;
  });
  return [TABLE_START, '| key | environment | flag | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows, TABLE_END].join('\n');
}

export function withConfigTable(doc: string): string {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) return doc;
  return doc.slice(0, start) + configTable() + doc.slice(end + TABLE_END.length);
}
