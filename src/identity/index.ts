import type { Config } from '../config/schema.js';
import { headerIdentity, pathIdentity, tokenIdentity } from './providers.js';
import type { IdentityProvider } from './types.js';

export type { Identity, IdentityProvider } from './types.js';
export { validateTenantId } from './tenant-id.js';

export function createIdentity(config: Pick<Config, 'identity' | 'identityHeader' | 'tokenSecret'>): IdentityProvider {
  switch (config.identity) {
    case 'header':
      return headerIdentity(config.identityHeader);
    case 'path':
      return pathIdentity();
    case 'token':
      return tokenIdentity(config.tokenSecret);
  }
}
