/**
 * Admin API on the management port, guarded by a bearer token:
 *   GET    /v1/sandboxes                    tenant, backend, state, since, last activity, connections
 *   POST   /v1/sandboxes/{tenant}/suspend   keeps the live state; connections close with 1001
 *   POST   /v1/sandboxes/{tenant}/resume    resumes (or provisions) now
 *   DELETE /v1/sandboxes/{tenant}           destroys the sandbox
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Backend } from '../backends/types.js';
import { SandgateError, toSandgateError } from '../errors/errors.js';
import type { Sessions } from '../sessions/sessions.js';
import { sendError } from './responses.js';

export interface AdminDeps {
  token: string;
  backend: Backend;
  sessions: Sessions;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorized(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function list(deps: AdminDeps): Promise<unknown[]> {
  const sessions = new Map(deps.sessions.snapshot().map((s) => [s.tenant, s]));
  return (await deps.backend.list()).map((b) => {
    const s = sessions.get(b.tenant);
    return {
      tenant: b.tenant,
      backend: b.backend,
      state: b.state,
      resource: b.resource,
      since: b.since.toISOString(),
      lastActivity: s ? new Date(s.lastActive).toISOString() : null,
      connections: s?.leases ?? 0,
      ...(b.oomKills ? { oomKills: b.oomKills } : {}),
    };
  });
}

export function createAdminHandler(deps: AdminDeps) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    try {
      if (!deps.token) throw new SandgateError('SG_ADMIN_UNAUTHORIZED', 'the admin API is off: set adminToken (SANDGATE_ADMIN_TOKEN)');
      if (!authorized(req, deps.token)) throw new SandgateError('SG_ADMIN_UNAUTHORIZED');
      if (path === '/v1/sandboxes' && req.method === 'GET') return json(res, 200, { sandboxes: await list(deps) });
      const m = /^\/v1\/sandboxes\/([^/]+)(\/suspend|\/resume)?$/.exec(path);
      if (!m) throw new SandgateError('SG_ROUTE_NOT_FOUND', `no admin route ${req.method} ${path}`);
      const tenant = decodeURIComponent(m[1] ?? '');
      const known = (await deps.backend.list()).some((s) => s.tenant === tenant);
      if (!known) throw new SandgateError('SG_NOT_FOUND', `no sandbox for tenant ${JSON.stringify(tenant)}`);
      if (req.method === 'DELETE' && !m[2]) {
        await deps.sessions.release(tenant);
        return void res.writeHead(204).end();
      }
      if (req.method === 'POST' && m[2] === '/suspend') {
        if (!(await deps.sessions.suspend(tenant))) throw new SandgateError('SG_BAD_REQUEST', `backend ${deps.backend.name} cannot suspend this sandbox now`);
        return json(res, 200, { tenant, state: 'suspended' });
      }
      if (req.method === 'POST' && m[2] === '/resume') {
        const lease = await deps.sessions.acquire(tenant, new AbortController().signal);
        lease.release();
        return json(res, 200, { tenant, state: 'ready' });
      }
      throw new SandgateError('SG_ROUTE_NOT_FOUND', `no admin route ${req.method} ${path}`);
    } catch (err) {
      sendError(res, toSandgateError(err));
    }
  };
}
