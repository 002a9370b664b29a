/** `sandgate rollouts …`: analyze once, serve the integrations, evaluate the judges. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { configTable, withConfigTable } from '../config/table.js';
import { addRolloutsOptions, configFrom, guarded } from './options.js';

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
      const { analyzeOnce } = await import('./actions.js');
      await analyzeOnce(cfg, analyze.opts());
    }),
  );

  const serve = addRolloutsOptions(rollouts.command('serve').description('Argo Rollouts web provider, Flagger webhook and A2A agent on one listener'));
  serve.action(
    guarded(async () => {
      const cfg = configFrom(serve);
      const actions = await import('./actions.js');
      await actions.serve(cfg, program.version() ?? '0.0.0');
    }),
  );

  const evaluate = addRolloutsOptions(rollouts.command('eval').description('score the judges on the labelled synthetic corpus'))
    .option('--json <file>', 'also write the full report as JSON')
    .option('--variants <n>', 'cases per kind', '8');
  evaluate.action(
    guarded(async () => {
      const cfg = configFrom(evaluate);
      const actions = await import('./actions.js');
      await actions.evaluate(cfg, evaluate.opts<{ json?: string; variants: string }>());
    }),
  );

  rollouts
    .command('config-table')
    .description('print the configuration reference (Markdown), or refresh it inside a document')
    .option('--update <file>', 'replace the generated table in this file (docs/rollouts.md)')
    .action((o: { update?: string }) => {
      if (o.update) writeFileSync(o.update, withConfigTable(readFileSync(o.update, 'utf8')));
      else process.stdout.write(configTable() + '\n');
    });
}
