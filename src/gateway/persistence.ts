/**
 * Browser-state persistence for any backend: when a live sandbox is released or reaped, its
 * default context's cookies and localStorage are exported through the runtime's /state route and
 * archived per tenant; the next fresh sandbox of that tenant gets them back. Opt-in per tenant
 * (header X-Sandgate-Persist: 1) or for everyone; archives older than the retention are deleted.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoint } from '../backends/types.js';
import type { Logger } from '../observability/logger.js';
import type { SessionHooks } from '../sessions/sessions.js';
import { endpointRequest } from './endpoint-http.js';

export const PERSIST_HEADER = 'x-sandgate-persist';

export interface PersistenceOptions {
  mode: 'off' | 'opt-in' | 'all';
  dir: string;
  retentionMs: number;
  logger: Logger;
  now?: () => number;
}

export class StatePersistence {
  private readonly optedIn = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: PersistenceOptions) {
    this.now = options.now ?? Date.now;
    if (options.mode !== 'off') {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      this.sweep();
    }
  }

  /** Remembers a tenant that asked for persistence on one of its connections. */
  noteRequest(tenant: string, headers: NodeJS.Dict<string | string[]>): void {
    if (this.options.mode === 'opt-in' && /^(1|true|yes)$/i.test(String(headers[PERSIST_HEADER] ?? ''))) this.optedIn.add(tenant);
  }

  private file(tenant: string): string {
    return join(this.options.dir, createHash('sha256').update(tenant).digest('hex').slice(0, 32) + '.json');
  }

  private wanted(tenant: string): boolean {
    return this.options.mode === 'all' || (this.options.mode === 'opt-in' && this.optedIn.has(tenant));
  }

  /** Deletes archives older than the retention. */
  sweep(): number {
    let removed = 0;
    for (const name of readdirSync(this.options.dir)) {
      const path = join(this.options.dir, name);
      if (this.options.retentionMs > 0 && this.now() - statSync(path).mtimeMs > this.options.retentionMs) {
        rmSync(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async save(tenant: string, endpoint: Endpoint): Promise<void> {
    const res = await endpointRequest(endpoint, 'GET', '/state');
    if (res.status !== 200) throw new Error(`state export answered ${res.status}: ${res.body.slice(0, 200)}`);
    writeFileSync(this.file(tenant), JSON.stringify({ tenant, savedAt: new Date(this.now()).toISOString(), state: JSON.parse(res.body) as unknown }), { mode: 0o600 });
  }

  async restore(tenant: string, endpoint: Endpoint): Promise<boolean> {
    let stored: { state?: unknown };
    try {
      stored = JSON.parse(readFileSync(this.file(tenant), 'utf8')) as { state?: unknown };
    } catch {
      return false;
    }
    const res = await endpointRequest(endpoint, 'PUT', '/state', JSON.stringify(stored.state));
    if (res.status !== 204) throw new Error(`state import answered ${res.status}: ${res.body.slice(0, 200)}`);
    this.optedIn.add(tenant);
    return true;
  }

  hooks(): SessionHooks {
    const log = this.options.logger;
    return {
      afterEnsure: async (tenant, endpoint) => {
        if (this.options.mode === 'off') return;
        const restored = await this.restore(tenant, endpoint).catch((err: Error) => (log.warn({ tenant, err: err.message }, 'state restore failed'), false));
        if (restored) log.info({ tenant }, 'browser state restored');
      },
      beforeRelease: async (tenant, endpoint, reason) => {
        if (!this.wanted(tenant)) return;
        await this.save(tenant, endpoint).then(
          () => log.info({ tenant, reason }, 'browser state saved'),
          (err: Error) => log.warn({ tenant, err: err.message }, 'state save failed'),
        );
      },
    };
  }
}
