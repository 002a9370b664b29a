import { SandgateError } from '../errors/errors.js';

export const MAX_TENANT_LENGTH = 128;

/** Tenant ids are arbitrary caller strings, but never empty, over-long or carrying control characters. */
export function validateTenantId(raw: string | undefined): string {
  if (raw === undefined || raw.length === 0) throw new SandgateError('SG_TENANT_INVALID', 'tenant id is empty');
  if (raw.length > MAX_TENANT_LENGTH) {
    throw new SandgateError('SG_TENANT_INVALID', `tenant id is longer than ${MAX_TENANT_LENGTH} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new SandgateError('SG_TENANT_INVALID', 'tenant id contains control characters');
  return raw;
}
