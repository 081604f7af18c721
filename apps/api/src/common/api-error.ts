// The one error shape of the API (API.md): {"error":{"code","message","messageZh","details"}}.
import { HttpException } from '@nestjs/common';

export interface ErrorDetail {
  field: string;
  problem: string;
  problemZh?: string;
}

export interface ErrorBody {
  error: { code: string; message: string; messageZh: string; details: ErrorDetail[]; requestId?: string };
}

export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly messageZh: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message, status);
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, messageZh: this.messageZh, details: this.details } };
  }
}

export const notFound = (what: string, whatZh: string) => new ApiError(404, 'NOT_FOUND', `${what} not found.`, `${whatZh}不存在。`);
export const forbidden = (message: string, messageZh: string) => new ApiError(403, 'FORBIDDEN', message, messageZh);
export const conflict = (code: string, message: string, messageZh: string) => new ApiError(409, code, message, messageZh);
