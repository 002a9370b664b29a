/** The backend contract suite against openshell (grpc) and a fake OpenShell gateway on loopback. */
import { after, before } from 'node:test';
import { backendContract } from '../../contract.js';
import { chromiumSkip } from '../../../testing/prereq.js';
import { OpenShellGrpcFixture } from './fixture.js';

const skip = chromiumSkip();
const fixture = new OpenShellGrpcFixture();

before(async () => {
  if (!skip) await fixture.start();
});
after(async () => {
  if (!skip) await fixture.close();
});

backendContract('openshell (grpc)', {
  skip,
  async make() {
    const backend = fixture.backend();
    return { backend, kill: async (tenant) => fixture.fake.kill(backend.sandboxName(tenant)) };
  },
  async makeBroken() {
    return fixture.backend({ image: 'registry.example.com/no-such-image:1' });
  },
});
