import { backendContract, killListedPids } from '../contract.js';
import { LocalGvisorBackend } from './index.js';
import { CHROMIUM_PATH } from '../../testing/prereq.js';
import { gvisorSkip } from './testing.js';

const options = (chromiumPath = CHROMIUM_PATH) => ({ chromiumPath, chromiumArgs: [], root: '/tmp/sandgate-test-gvisor', memoryBytes: 0 });

backendContract('local-gvisor', {
  skip: gvisorSkip(),
  async make() {
    const backend = new LocalGvisorBackend(options());
    return { backend, kill: killListedPids(backend) };
  },
  async makeBroken() {
    return new LocalGvisorBackend(options('/nonexistent/chromium'));
  },
});
