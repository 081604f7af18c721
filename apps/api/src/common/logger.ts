// One structured JSON logger (pino) for the API and the worker. Request bodies are never logged, so
// personal data (resident ID numbers) stays out of the logs; the redact list covers headers too.
import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', '*.residentId', '*.idNumber'], censor: '[redacted]' },
    base: { service: name },
  });
}

/** Routes NestJS's own log lines into pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
