/** Built-in identity providers: header, path (/t/<tenant>/…) and signed token. */
import type { IncomingMessage } from 'node:http';
import { SandgateError } from '../errors/errors.js';
import { validateTenantId } from './tenant-id.js';
import { verifyToken } from './token.js';
import type { Identity, IdentityProvider } from './types.js';

export function headerIdentity(headerName: string): IdentityProvider {
  const lower = headerName.toLowerCase();
  return {
    name: 'header',
    headers: [lower],
    identify(req, url) {
      const value = req.headers[lower];
      if (value === undefined) {
        throw new SandgateError('SG_IDENTITY_MISSING', `send the tenant id in the ${headerName} header`, {
          detail: { expected: `header ${headerName}` },
        });
      }
      const tenant = validateTenantId(Array.isArray(value) ? value[0] : value);
      return { tenant, route: url.pathname, search: url.search };
    },
  };
}

const PATH_RE = /^\/t\/([^/]+)(\/.*)?$/;

export function pathIdentity(): IdentityProvider {
  return {
    name: 'path',
    headers: [],
    identify(_req, url) {
      const match = PATH_RE.exec(url.pathname);
      if (!match) {
        throw new SandgateError('SG_IDENTITY_MISSING', 'put the tenant id in the path: /t/<tenant>/playwright', {
          detail: { expected: 'path /t/<tenant>/<route>' },
        });
      }
      let tenant: string;
      try {
        tenant = decodeURIComponent(match[1] ?? '');
      } catch (err) {
        throw new SandgateError('SG_TENANT_INVALID', 'tenant id is not valid percent-encoding', { cause: err });
      }
      return { tenant: validateTenantId(tenant), route: match[2] ?? '/', search: url.search };
    },
  };
}

function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(auth);
  return match?.[1];
}

export function tokenIdentity(secret: string, clock: () => number = Date.now): IdentityProvider {
  return {
    name: 'token',
    headers: ['authorization'],
    identify(req, url): Identity {
      const token = bearer(req) ?? url.searchParams.get('token') ?? undefined;
      if (!token) {
        throw new SandgateError('SG_IDENTITY_MISSING', 'send a tenant token as "Authorization: Bearer <token>" or ?token=', {
          detail: { expected: 'bearer token' },
        });
      }
      const claims = verifyToken(secret, token, clock());
      const params = new URLSearchParams(url.search);
      params.delete('token');
      const search = params.size > 0 ? `?${params.toString()}` : '';
      return { tenant: claims.sub, route: url.pathname, search };
    },
  };
}
