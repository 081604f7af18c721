// Idempotency-Key (API.md): a repeated write with the same key returns the first result and changes nothing.
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, map, Observable, of, switchMap, throwError } from 'rxjs';
import { isUniqueViolation } from '../../../../repositories/errors';
import { IdempotencyRepository } from '../../../../repositories/idempotency.repository';
import { ApiError } from './api-error';

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly records: IdempotencyRepository) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { user?: { userId: string } }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || !key || !req.user) return next.handle();
    if (!/^[\w.:-]{1,200}$/.test(key)) {
      throw new ApiError(
        400,
        'BAD_IDEMPOTENCY_KEY',
        'Idempotency-Key: 1–200 letters, digits or . _ : -',
        'Idempotency-Key 须为 1–200 位字母、数字或 . _ : -',
      );
    }
    const userId = req.user.userId;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.path}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    return from(this.claim(userId, key, req, requestHash)).pipe(
      switchMap((stored) => {
        if (stored) {
          res.status(stored.statusCode);
          res.setHeader('Idempotent-Replayed', 'true');
          return of(stored.response);
        }
        return next.handle().pipe(
          concatMap((body) => from(this.records.storeResponse(userId, key, res.statusCode, body)).pipe(map(() => body))),
          // a failed write may be retried with the same key
          catchError((err) => from(this.records.release(userId, key).catch(() => undefined)).pipe(switchMap(() => throwError(() => err)))),
        );
      }),
    );
  }

  /** The stored response of an earlier request with this key, or null after claiming the key for this one. */
  private async claim(userId: string, key: string, req: Request, requestHash: string) {
    try {
      await this.records.claimKey({ userId, key, method: req.method, path: req.path, requestHash });
      return null;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const existing = await this.records.record(userId, key);
    if (!existing || existing.statusCode === null) {
      throw new ApiError(
        409,
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed.',
        '使用该幂等键的请求仍在处理中。',
      );
    }
    if (existing.requestHash !== requestHash) {
      throw new ApiError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request.',
        '该幂等键已用于另一个请求。',
      );
    }
    return { statusCode: existing.statusCode, response: existing.response };
  }
}
