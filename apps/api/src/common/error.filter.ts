// Every error leaves the API in the one shape of API.md, in English and Chinese. Business refusals from
// workflows (ApplicationFailure types) map to 4xx; anything unexpected is a logged 500 with no internals.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { FAILURE_HTTP_STATUS, type FailureCode, type FailureDetails } from '../../../../workflows/contracts/common';
import { ApiError, type ErrorBody } from './api-error';

const HTTP_DEFAULTS: Record<number, [string, string, string]> = {
  400: ['BAD_REQUEST', 'The request is malformed.', '请求格式错误。'],
  401: ['UNAUTHENTICATED', 'A valid bearer token is required.', '需要有效的访问令牌。'],
  403: ['FORBIDDEN', 'You may not do this.', '无权执行此操作。'],
  404: ['NOT_FOUND', 'No such resource.', '资源不存在。'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed.', '不支持该请求方法。'],
  409: ['CONFLICT', 'The request conflicts with the current state.', '请求与当前状态冲突。'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.', '请求内容过大。'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send JSON (Content-Type: application/json).', '请使用 JSON 格式提交。'],
  422: ['UNPROCESSABLE', 'The request cannot be processed.', '请求无法处理。'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests.', '请求过于频繁。'],
};

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const failure = err.cause;
    const code = failure.type as FailureCode | undefined;
    if (code && code in FAILURE_HTTP_STATUS) {
      const details = (failure.details?.[0] ?? { messageZh: failure.message }) as FailureDetails;
      return new ApiError(
        FAILURE_HTTP_STATUS[code],
        code,
        failure.message,
        details.messageZh,
        (details.problems ?? []).map((p) => ({ field: p.field, problem: p.problem, problemZh: p.problemZh })),
      );
    }
  }
  if (err instanceof WorkflowNotFoundError) {
    // The case's workflow has finished (or never ran): nothing can be changed any more.
    return new ApiError(409, 'CASE_CLOSED', 'This case is closed.', '该事项已办结。');
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const [code, message, messageZh] = HTTP_DEFAULTS[status] ?? ['HTTP_ERROR', err.message, err.message];
    // Body-parser failures (bad JSON) arrive as 400s whose message says where the JSON broke.
    const detail = status === 400 ? [{ field: 'body', problem: err.message, problemZh: '请求体不是有效的 JSON' }] : [];
    return new ApiError(status, code, message, messageZh, detail);
  }
  const status = (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const [code, message, messageZh] = HTTP_DEFAULTS[status] ?? ['BAD_REQUEST', 'Bad request.', '请求错误。'];
    return new ApiError(status, code, message, messageZh);
  }
  return undefined;
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const known = toApiError(exception);
    let status: number;
    let body: ErrorBody;
    if (known) {
      status = known.getStatus();
      body = known.body();
    } else {
      status = 500;
      body = {
        error: { code: 'INTERNAL', message: 'Something went wrong on our side.', messageZh: '系统内部错误，请稍后再试。', details: [] },
      };
      this.logger.error({ err: exception, requestId: req.id, path: req.path }, 'unhandled error');
    }
    body.error.requestId = req.id;
    res.status(status).json(body);
  }
}
