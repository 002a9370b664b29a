import { backendContract, killListedPids } from '../contract.js';
import { LocalBwrapBackend } from './index.js';
import { bwrapOptions, bwrapSkip } from './testing.js';

backendContract('local-bwrap', {
  skip: bwrapSkip(),
  async make() {
    const backend = new LocalBwrapBackend(bwrapOptions());
    return { backend, kill: killListedPids(backend) };
  },
  async makeBroken() {
    return new LocalBwrapBackend(bwrapOptions({ chromiumPath: '/nonexistent/chromium' }));
  },
});
