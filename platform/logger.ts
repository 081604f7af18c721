// One structured JSON logger (pino) for the API and the worker, which both import it from here. Request bodies are
// never logged, so personal data (resident ID numbers) stays out of the logs; the redact list covers headers too.
import pino, { type Logger } from 'pino';

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', '*.residentId', '*.idNumber'], censor: '[redacted]' },
    base: { service: name },
  });
}
