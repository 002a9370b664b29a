/** The identity seam: a request becomes a tenant id or a typed refusal (401/403/400). */
import type { IncomingMessage } from 'node:http';

export interface Identity {
  tenant: string;
  /** The route inside the gateway once identity parts are removed, e.g. `/playwright`. */
  route: string;
  /** Query parameters to forward (identity parameters such as `token` removed). */
  search: string;
}

export interface IdentityProvider {
  readonly name: string;
  /** Headers that carry identity; the relay strips them before forwarding. */
  readonly headers: readonly string[];
  identify(req: IncomingMessage, url: URL): Identity | Promise<Identity>;
  start?(): Promise<void>;
  close?(): Promise<void>;
}
