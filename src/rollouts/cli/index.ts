/** `sandgate rollouts …`: analyze once, serve the integrations, evaluate the judges. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createLlm } from '../llm/factory.js';
import { generateCorpus } from '../eval/corpus.js';
import { runEval } from '../eval/run.js';
import { createAnalyzer, createRolloutsLogger } from '../runtime.js';
import { RolloutsServer } from '../serve/server.js';
import { verdictView } from '../serve/views.js';
import { addRolloutsOptions, configFrom, guarded } from './options.js';
import { formatEval, formatResult } from './print.js';

/** Exit codes of `rollouts analyze` (usable as an Argo `job` metric: 0 = Successful). */
export const EXIT = { promote: 0, rollback: 1, inconclusive: 3 } as const;

export function registerRollouts(program: Command): void {
  const rollouts = program.command('rollouts').description('judge canary rollouts (Argo Rollouts, Flagger, A2A) from logs and metrics');

  const analyze = addRolloutsOptions(rollouts.command('analyze').description('analyse one canary now and print the verdict (exit 0 promote, 1 rollback, 3 inconclusive)'))
    .option('--rollout <name>', 'Rollout / Canary name (issue fingerprint)')
    .option('--selector <selector>', 'common base selector, e.g. app=rollouts-demo')
    .option('--stable-hash <hash>', 'rollouts-pod-template-hash of the stable pods')
    .option('--canary-hash <hash>', 'rollouts-pod-template-hash of the canary pods')
    .option('--json', 'print JSON');
  analyze.action(
    guarded(async () => {
      const cfg = configFrom(analyze);
      const o = analyze.opts<{ rollout?: string; selector?: string; stableHash?: string; canaryHash?: string; json?: boolean }>();
      const result = await createAnalyzer(cfg).analyze({ namespace: cfg.namespace, rollout: o.rollout, selector: o.selector, stableHash: o.stableHash, canaryHash: o.canaryHash });
      process.stdout.write(o.json ? JSON.stringify(verdictView('cli', result), null, 2) + '\n' : formatResult(result));
      process.exitCode = EXIT[result.decision.verdict];
    }),
  );

  const serve = addRolloutsOptions(rollouts.command('serve').description('Argo Rollouts web provider, Flagger webhook and A2A agent on one listener'));
  serve.action(
    guarded(async () => {
      const cfg = configFrom(serve);
      const logger = createRolloutsLogger(cfg.logLevel);
      const server = new RolloutsServer(cfg, createAnalyzer(cfg, {}, (s) => logger.info({ issue: s }, 'dry-run issue')), logger, program.version() ?? '0.0.0');
      await server.start();
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        server.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    }),
  );

  const evaluate = addRolloutsOptions(rollouts.command('eval').description('score the judges on the labelled synthetic corpus'))
    .option('--json <file>', 'also write the full report as JSON')
    .option('--variants <n>', 'cases per kind', '8');
  evaluate.action(
    guarded(async () => {
      const cfg = configFrom(evaluate);
      const o = evaluate.opts<{ json?: string; variants: string }>();
      const report = await runEval({ cfg, llm: cfg.judge === 'statistical' ? undefined : createLlm(cfg), cases: generateCorpus(Math.max(1, Number(o.variants) || 8)), onCase: (id, done, total) => process.stderr.write(`\r${done}/${total} ${id}        `) });
      process.stderr.write('\n');
      if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
      process.stdout.write(formatEval(report));
    }),
  );
}
