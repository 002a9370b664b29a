/** The backend contract suite against the fake substrate control plane + router, in both API shapes. */
import { after, before } from 'node:test';
import { backendContract } from '../contract.js';
import { chromiumSkip } from '../../testing/prereq.js';
import { BROKEN_TEMPLATE, SubstrateFixture } from './fixture.js';

const skip = chromiumSkip();

for (const api of ['actor-ref', 'actor-id'] as const) {
  const fixture = new SubstrateFixture({ api, auth: 'mtls' });
  before(async () => {
    if (!skip) await fixture.start();
  });
  after(async () => {
    if (!skip) await fixture.close();
  });
  backendContract(`substrate (${api})`, {
    skip,
    async make() {
      const backend = fixture.backend();
      return {
        backend,
        async kill(tenant) {
          const actor = fixture.cp.actor('sandgate', backend.actorName(tenant));
          if (actor) fixture.cp.store.crash(actor);
        },
      };
    },
    async makeBroken() {
      return fixture.backend({ actorTemplate: BROKEN_TEMPLATE });
    },
  });
}
