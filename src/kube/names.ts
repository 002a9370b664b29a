/**
 * Deterministic Kubernetes names for tenant ids: DNS-1123 label, a fixed prefix, lowercase, capped
 * length, and a short hash suffix whenever the id had to be changed, so two ids never share a name.
 * The full id travels in an annotation; the name only has to be stable and unique.
 */
import { createHash } from 'node:crypto';

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HASH_LENGTH = 8;

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * `prefix` must itself be DNS-1123-safe (e.g. `sg-`). `max` caps the whole name (63 for labels and
 * Services; some backends need less).
 */
export function resourceName(prefix: string, id: string, max = 63): string {
  if (!/^[a-z]([-a-z0-9]*)$/.test(prefix)) throw new Error(`name prefix ${JSON.stringify(prefix)} must be lowercase DNS-1123 and start with a letter`);
  if (max < prefix.length + HASH_LENGTH + 2) throw new Error(`name length cap ${max} is too small for prefix ${prefix}`);
  const cleaned = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  const plain = `${prefix}${cleaned}`;
  if (cleaned === id && cleaned.length > 0 && plain.length <= max && DNS1123_LABEL.test(plain)) return plain;
  const room = max - prefix.length - HASH_LENGTH - 1;
  const head = cleaned.slice(0, room).replace(/-+$/, '');
  return `${prefix}${head ? `${head}-` : ''}${shortHash(id)}`;
}

/** A valid label value (≤ 63 chars, alphanumeric ends) derived from any string; stable. */
export function labelValue(text: string): string {
  if (/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(text)) return text;
  return resourceName('h-', text, 63);
}
