/** The backend contract suite against agent-sandbox on the real API server with the real controller. */
import { after, before } from 'node:test';
import { backendContract } from '../contract.js';
import { chromiumSkip } from '../../testing/prereq.js';
import { k8sSkip } from '../../testing/k8s/cluster.js';
import { AgentSandboxFixture } from './fixture.js';

const skip = k8sSkip() || chromiumSkip();
const fixture = new AgentSandboxFixture();

before(async () => {
  if (!skip) await fixture.start('contract', 2);
});
after(async () => {
  if (!skip) await fixture.close();
});

backendContract('agent-sandbox', {
  skip,
  async make() {
    const backend = fixture.backend();
    return { backend, kill: (tenant) => fixture.killPod(tenant) };
  },
  async makeBroken() {
    return fixture.backend({ warmPool: 'no-such-pool' });
  },
});
