/** `sandgate serve`: flags are derived from the config schema, one per key. */
import type { Command } from 'commander';
import { CONFIG_KEYS, envName, flagName, loadConfig } from '../config/load.js';
import { configShape, type Config, type ConfigKey } from '../config/schema.js';
import { createBackend } from '../backends/index.js';
import { createIdentity } from '../identity/index.js';
import { createLogger } from '../observability/logger.js';
import { Gateway } from '../gateway/gateway.js';

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function addConfigOptions(cmd: Command): Command {
  cmd.option('-c, --config <file>', 'YAML or JSON config file (env SANDGATE_CONFIG)');
  for (const key of CONFIG_KEYS) {
    cmd.option(`--${flagName(key)} <value>`, `${configShape[key].description ?? ''} [env ${envName(key)}]`);
  }
  return cmd;
}

export function configFromOptions(opts: Record<string, unknown>): Config {
  const flags: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of CONFIG_KEYS) flags[key] = opts[camel(flagName(key))];
  return loadConfig({ file: opts.config as string | undefined, flags });
}

export async function runGateway(config: Config): Promise<Gateway> {
  const logger = createLogger(config.logLevel);
  const gateway = new Gateway({ config, backend: createBackend(config), identity: createIdentity(config), logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await gateway.start();
  return gateway;
}

export function registerServe(program: Command): void {
  addConfigOptions(program.command('serve').description('run the gateway (one browser sandbox per tenant)')).action(async (opts: Record<string, unknown>) => {
    await runGateway(configFromOptions(opts));
  });
}
