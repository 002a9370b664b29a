/**
 * HMAC-SHA256 signed tenant tokens: `sg1.<base64url(JSON {sub, exp})>.<base64url(mac)>`.
 * Verification is constant-time and checks expiry against an injected clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SandgateError } from '../errors/errors.js';
import { validateTenantId } from './tenant-id.js';

const PREFIX = 'sg1';

export interface TokenClaims {
  /** Tenant id. */
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest();
}

export function issueToken(secret: string, tenant: string, ttlMs: number, now: number = Date.now()): string {
  validateTenantId(tenant);
  const claims: TokenClaims = { sub: tenant, exp: Math.floor((now + ttlMs) / 1000) };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${PREFIX}.${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function verifyToken(secret: string, token: string, now: number = Date.now()): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw new SandgateError('SG_TOKEN_INVALID', 'token is not a sandgate token');
  const [, payload = '', signature = ''] = parts;
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SandgateError('SG_TOKEN_INVALID', 'token signature does not match');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch (err) {
    throw new SandgateError('SG_TOKEN_INVALID', 'token payload is not JSON', { cause: err });
  }
  const c = claims as Partial<TokenClaims>;
  if (typeof c.sub !== 'string' || typeof c.exp !== 'number') throw new SandgateError('SG_TOKEN_INVALID', 'token lacks sub/exp');
  if (c.exp * 1000 <= now) throw new SandgateError('SG_TOKEN_EXPIRED', `token expired at ${new Date(c.exp * 1000).toISOString()}`);
  return { sub: validateTenantId(c.sub), exp: c.exp };
}
