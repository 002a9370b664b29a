/**
 * Actor names and router hosts. Actors carry no labels or annotations, so ownership is recorded in
 * what the API does keep: the atespace (one per gateway deployment) and a name prefix made of
 * `namePrefix` and a hash of the gateway id (`sg-1a2b3c4d-alice`). The hash has no dash, so one
 * gateway's prefix is never a prefix of another's. Names are DNS-1123 labels (upstream requires it).
 */
import { resourceName, shortHash } from '../../kube/names.js';

export const ACTOR_DOMAIN = 'actors.resources.substrate.ate.dev';

export function ownerPrefix(namePrefix: string, gatewayId: string): string {
  return `${namePrefix}${shortHash(gatewayId)}-`;
}

export function actorName(prefix: string, tenant: string): string {
  return resourceName(prefix, tenant);
}

/** The Host atenet-router routes by; the older actor-id shape has no atespace label. */
export function routerHost(name: string, atespace: string | undefined): string {
  return atespace ? `${name}.${atespace}.${ACTOR_DOMAIN}` : `${name}.${ACTOR_DOMAIN}`;
}

/** NAMESPACE/NAME of an ActorTemplate. */
export function parseTemplate(ref: string): { namespace: string; name: string } {
  const [namespace, name, ...rest] = ref.split('/');
  if (!namespace || !name || rest.length > 0) throw new Error(`ActorTemplate ${JSON.stringify(ref)} is not NAMESPACE/NAME`);
  return { namespace, name };
}
