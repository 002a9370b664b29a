import { backendContract } from '../contract.js';
import { LocalBwrapBackend } from './index.js';
import { bwrapOptions, bwrapSkip } from './testing.js';
import { killRemaining } from '../../process/tree.js';

backendContract('local-bwrap', {
  skip: bwrapSkip(),
  async make() {
    const backend = new LocalBwrapBackend(bwrapOptions());
    return {
      backend,
      async kill(tenant) {
        const info = (await backend.list()).find((s) => s.tenant === tenant);
        killRemaining(info?.pids ?? []);
      },
    };
  },
  async makeBroken() {
    return new LocalBwrapBackend(bwrapOptions({ chromiumPath: '/nonexistent/chromium' }));
  },
});
