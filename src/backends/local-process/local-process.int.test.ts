import { backendContract, killListedPids } from '../contract.js';
import { LocalProcessBackend } from './index.js';
import { CHROMIUM_PATH, chromiumSkip } from '../../testing/prereq.js';

backendContract('local-process', {
  skip: chromiumSkip(),
  async make() {
    const backend = new LocalProcessBackend({ chromiumPath: CHROMIUM_PATH, chromiumArgs: [], warmPool: 0 });
    return { backend, kill: killListedPids(backend) };
  },
  async makeBroken() {
    return new LocalProcessBackend({ chromiumPath: '/nonexistent/chromium', chromiumArgs: [], warmPool: 0 });
  },
});
