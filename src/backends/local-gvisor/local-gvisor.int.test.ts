import { backendContract } from '../contract.js';
import { LocalGvisorBackend } from './index.js';
import { CHROMIUM_PATH } from '../../testing/prereq.js';
import { gvisorSkip } from './testing.js';
import { killRemaining } from '../../process/tree.js';

const options = (chromiumPath = CHROMIUM_PATH) => ({ chromiumPath, chromiumArgs: [], root: '/tmp/sandgate-test-gvisor', memoryBytes: 0 });

backendContract('local-gvisor', {
  skip: gvisorSkip(),
  async make() {
    const backend = new LocalGvisorBackend(options());
    return {
      backend,
      async kill(tenant) {
        const info = (await backend.list()).find((s) => s.tenant === tenant);
        killRemaining(info?.pids ?? []);
      },
    };
  },
  async makeBroken() {
    return new LocalGvisorBackend(options('/nonexistent/chromium'));
  },
});
