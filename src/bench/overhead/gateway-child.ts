/**
 * A gateway in its own process for memory measurement: nothing else lives in its heap.
 * Answers IPC `{cmd:'memory'}` with bytes in use after a full GC; `{cmd:'stop'}` drains and exits.
 */
import { loadConfig } from '../../config/load.js';
import { createBackend } from '../../backends/index.js';
import { createIdentity } from '../../identity/index.js';
import { createLogger } from '../../observability/logger.js';
import { Gateway } from '../../gateway/gateway.js';
import { settledMemory } from './measure.js';

const config = loadConfig({ flags: { listen: '127.0.0.1:0', management: '127.0.0.1:0', logLevel: 'warn', idleTtl: '0' } });
const gateway = new Gateway({ config, backend: createBackend(config), identity: createIdentity(config), logger: createLogger(config.logLevel) });
const { data } = await gateway.start();
process.send?.({ event: 'listening', port: data.port });
process.on('message', (m: { cmd?: string }) => {
  if (m.cmd === 'memory') process.send?.({ event: 'memory', bytes: settledMemory(), sessions: gateway.sessions.size });
  if (m.cmd === 'stop') void gateway.close().then(() => process.exit(0));
});
