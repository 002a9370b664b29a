import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { headerIdentity, pathIdentity, tokenIdentity } from './providers.js';
import { issueToken, verifyToken } from './token.js';
import { validateTenantId } from './tenant-id.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const url = (p: string) => new URL(p, 'http://gw');
const SECRET = 'x'.repeat(32);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

test('tenant ids: empty, over-long and control characters are rejected', () => {
  assert.equal(code(() => validateTenantId('')), 'SG_TENANT_INVALID');
  assert.equal(code(() => validateTenantId('a'.repeat(129))), 'SG_TENANT_INVALID');
  assert.equal(code(() => validateTenantId('a\nb')), 'SG_TENANT_INVALID');
  assert.equal(validateTenantId('agent/42 ü'), 'agent/42 ü');
});

test('header identity reads the configured header, case-insensitively', () => {
  const p = headerIdentity('X-Sandgate-Tenant');
  assert.deepEqual(p.identify(req({ 'x-sandgate-tenant': 'alice' }), url('/playwright?a=1')), {
    tenant: 'alice',
    route: '/playwright',
    search: '?a=1',
  });
  assert.equal(code(() => p.identify(req({}), url('/playwright'))), 'SG_IDENTITY_MISSING');
  assert.deepEqual(p.headers, ['x-sandgate-tenant']);
});

test('path identity strips /t/<tenant> and decodes it', () => {
  const p = pathIdentity();
  assert.deepEqual(p.identify(req({}), url('/t/team%2Fa/cdp')), { tenant: 'team/a', route: '/cdp', search: '' });
  assert.equal(code(() => p.identify(req({}), url('/playwright'))), 'SG_IDENTITY_MISSING');
  assert.equal(code(() => p.identify(req({}), url('/t/%E0%A4%A/cdp'))), 'SG_TENANT_INVALID');
  assert.equal(code(() => p.identify(req({}), url('/t/a%0Ab/cdp'))), 'SG_TENANT_INVALID');
});

test('tokens round-trip, expire, and reject tampering', () => {
  const now = 1_700_000_000_000;
  const token = issueToken(SECRET, 'bob', 60_000, now);
  assert.equal(verifyToken(SECRET, token, now).sub, 'bob');
  assert.equal(code(() => verifyToken(SECRET, token, now + 61_000)), 'SG_TOKEN_EXPIRED');
  assert.equal(code(() => verifyToken('y'.repeat(32), token, now)), 'SG_TOKEN_INVALID');
  const [a, , c] = token.split('.');
  const forged = `${a}.${Buffer.from(JSON.stringify({ sub: 'eve', exp: 9e9 })).toString('base64url')}.${c}`;
  assert.equal(code(() => verifyToken(SECRET, forged, now)), 'SG_TOKEN_INVALID');
  assert.equal(code(() => verifyToken(SECRET, 'garbage', now)), 'SG_TOKEN_INVALID');
});

test('token identity accepts Bearer or ?token= and removes the token from the forwarded query', async () => {
  const now = Date.now();
  const p = tokenIdentity(SECRET, () => now);
  const token = issueToken(SECRET, 'carol', 60_000, now);
  assert.equal((await p.identify(req({ authorization: `Bearer ${token}` }), url('/cdp'))).tenant, 'carol');
  const viaQuery = await p.identify(req({}), url(`/cdp?x=1&token=${token}`));
  assert.equal(viaQuery.tenant, 'carol');
  assert.equal(viaQuery.search, '?x=1');
  assert.equal(code(() => p.identify(req({}), url('/cdp'))), 'SG_IDENTITY_MISSING');
});
