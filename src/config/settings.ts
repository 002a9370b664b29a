/** Config values → the SANDGATE_* environment that sets them (e.g. to start a gateway in another process). */
import { envName } from './load.js';
import type { ConfigKey } from './schema.js';

export type Settings = Partial<Record<ConfigKey, string | number | readonly string[]>>;

/** `{ backend: 'isola', sandboxPort: 9222 }` → `{ SANDGATE_BACKEND: 'isola', SANDGATE_SANDBOX_PORT: '9222' }`; lists space-separated. */
export function toEnv(settings: Settings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [envName(key), Array.isArray(value) ? value.join(' ') : String(value)]));
}
