/** The plain-process launcher: the runtime runs as a child of the gateway on 127.0.0.1. */
import { runtimeArgs, type Launcher } from '../local/launcher.js';

export const processLauncher: Launcher = {
  name: 'local-process',
  isolation: 'process',
  async prepare(_id, runtime) {
    return {
      spec: { command: process.execPath, args: runtimeArgs(runtime, ['--host', '127.0.0.1', '--port', '0']), env: {} },
      dispose: async () => undefined,
    };
  },
};
