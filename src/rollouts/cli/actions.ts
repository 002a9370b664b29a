/** The actions of `sandgate rollouts …`, loaded only when one runs (the heavy clients stay out of other commands' startup). */
import { writeFileSync } from 'node:fs';
import type { RolloutsConfig } from '../config/schema.js';
import { generateCorpus } from '../eval/corpus.js';
import { runEval } from '../eval/run.js';
import { createLlm } from '../llm/factory.js';
import { createAnalyzer, createRolloutsLogger } from '../runtime.js';
import { RolloutsServer } from '../serve/server.js';
import { verdictView } from '../serve/views.js';
import { formatEval, formatResult } from './print.js';

/** Exit codes of `rollouts analyze` (usable as an Argo `job` metric: 0 = Successful). */
export const EXIT = { promote: 0, rollback: 1, inconclusive: 3 } as const;

export interface AnalyzeOptions {
  rollout?: string;
  selector?: string;
  stableHash?: string;
  canaryHash?: string;
  json?: boolean;
}

export async function analyzeOnce(cfg: RolloutsConfig, o: AnalyzeOptions): Promise<void> {
  const result = await createAnalyzer(cfg).analyze({ namespace: cfg.namespace, rollout: o.rollout, selector: o.selector, stableHash: o.stableHash, canaryHash: o.canaryHash });
  process.stdout.write(o.json ? JSON.stringify(verdictView('cli', result), null, 2) + '\n' : formatResult(result));
  process.exitCode = EXIT[result.decision.verdict];
}

export async function serve(cfg: RolloutsConfig, version: string): Promise<void> {
  const logger = createRolloutsLogger(cfg.logLevel);
  const server = new RolloutsServer(cfg, createAnalyzer(cfg, {}, (s) => logger.info({ issue: s }, 'dry-run issue')), logger, version);
  await server.start();
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => logger.flush(() => process.exit(0)),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export async function evaluate(cfg: RolloutsConfig, o: { json?: string; variants: string }): Promise<void> {
  const cases = generateCorpus(Math.max(1, Number(o.variants) || 8));
  const llm = cfg.judge === 'statistical' ? undefined : createLlm(cfg);
  const report = await runEval({ cfg, llm, cases, onCase: (id, done, total) => process.stderr.write(`\r${done}/${total} ${id}        `) });
  process.stderr.write('\n');
  if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(formatEval(report));
}
