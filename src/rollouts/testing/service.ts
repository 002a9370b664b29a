/** Starts a real `rollouts serve` service on loopback with in-memory pods and chosen fakes. */
import { Writable } from 'node:stream';
import type { AnalyzerDeps } from '../analysis/analyzer.js';
import { loadRolloutsConfig } from '../config/load.js';
import type { RolloutsKey } from '../config/schema.js';
import { createAnalyzer, createRolloutsLogger } from '../runtime.js';
import { RolloutsServer } from '../serve/server.js';
import type { AnalysisJobs } from '../serve/jobs.js';

/** `heal: true` builds the configured GitHub healer; otherwise rollbacks open no issues. */
export async function startService(flags: Partial<Record<RolloutsKey, unknown>>, deps: Partial<AnalyzerDeps> & Pick<AnalyzerDeps, 'kube'>, o: { heal?: boolean } = {}): Promise<RolloutsServer> {
  const cfg = loadRolloutsConfig({ env: {}, flags: { listen: '127.0.0.1:0', since: '0', ...flags } });
  const quiet = new Writable({ write: (_c, _e, cb) => cb() });
  const analyzer = createAnalyzer(cfg, { ...(o.heal ? {} : { healer: undefined }), sleep: async () => undefined, ...deps }, () => undefined);
  const server = new RolloutsServer(cfg, analyzer, createRolloutsLogger('silent', quiet), 'test');
  await server.start();
  return server;
}

/** Resolves when no analysis is running any more (at once if none is): the "interval" of a simulated AnalysisRun. */
export function idle(jobs: AnalysisJobs): Promise<void> {
  if (jobs.running === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (jobs.running > 0) return;
      jobs.off('settled', check);
      resolve();
    };
    jobs.on('settled', check);
  });
}
