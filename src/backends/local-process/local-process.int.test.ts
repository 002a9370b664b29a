import { backendContract } from '../contract.js';
import { LocalProcessBackend } from './index.js';
import { CHROMIUM_PATH, chromiumSkip } from '../../testing/prereq.js';
import { killRemaining } from '../../process/tree.js';

backendContract('local-process', {
  skip: chromiumSkip(),
  async make() {
    const backend = new LocalProcessBackend({ chromiumPath: CHROMIUM_PATH, chromiumArgs: [], warmPool: 0 });
    return {
      backend,
      async kill(tenant) {
        const info = (await backend.list()).find((s) => s.tenant === tenant);
        killRemaining(info?.pids ?? []);
      },
    };
  },
  async makeBroken() {
    return new LocalProcessBackend({ chromiumPath: '/nonexistent/chromium', chromiumArgs: [], warmPool: 0 });
  },
});
