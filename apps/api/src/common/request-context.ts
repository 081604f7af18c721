// A request id on every request (taken from X-Request-Id or made), echoed back and on every log line.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export function requestContext(logger: Logger) {
  return (req: Request & { id?: string; user?: { userId: string } }, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    req.id = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          requestId: req.id,
          method: req.method,
          // the path only: query strings may carry search terms about people
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          userId: req.user?.userId,
        },
        'request',
      );
    });
    next();
  };
}
