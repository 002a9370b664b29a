/** One pino logger for operators; components take child loggers with their bindings. */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { svc: 'sandgate' },
      redact: { paths: ['token', 'headers.authorization', 'req.headers.authorization', 'secret'], censor: '[redacted]' },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
