/** Config flags for every `rollouts` subcommand, derived from the schema (one per key), and error reporting. */
import type { Command } from 'commander';
import { ROLLOUTS_KEYS, loadRolloutsConfig, rolloutsEnvName, rolloutsFlagName } from '../config/load.js';
import { ROLLOUTS_DEFAULTS, rolloutsShape, type RolloutsConfig, type RolloutsKey } from '../config/schema.js';
import { isRolloutError } from '../errors.js';

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function addRolloutsOptions(cmd: Command): Command {
  cmd.option('-c, --config <file>', 'YAML or JSON config file (env SANDGATE_ROLLOUTS_CONFIG)');
  for (const key of ROLLOUTS_KEYS) {
    const help = `${rolloutsShape[key].description ?? ''} [env ${rolloutsEnvName(key)}]`;
    const flag = rolloutsFlagName(key);
    if (ROLLOUTS_DEFAULTS[key] === false) cmd.option(`--${flag}`, help);
    else if (ROLLOUTS_DEFAULTS[key] === true) cmd.option(`--no-${flag}`, help);
    else cmd.option(`--${flag} <value>`, help);
  }
  return cmd;
}

/** Only values typed on the command line count as flags (commander's --no-x defaults must not override env). */
export function configFrom(cmd: Command): RolloutsConfig {
  const opts = cmd.opts<Record<string, unknown>>();
  const flags: Partial<Record<RolloutsKey, unknown>> = {};
  for (const key of ROLLOUTS_KEYS) {
    const name = camel(rolloutsFlagName(key));
    if (cmd.getOptionValueSource(name) === 'cli') flags[key] = opts[name];
  }
  return loadRolloutsConfig({ file: opts.config as string | undefined, flags });
}

/** Runs an action; a RolloutError becomes `sandgate: CODE: message` and exit code 2. */
export function guarded<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      if (!isRolloutError(err)) throw err;
      process.stderr.write(`sandgate: ${err.code}: ${err.message}\n`);
      process.exitCode = 2;
    }
  };
}
