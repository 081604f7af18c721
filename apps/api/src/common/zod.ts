// Request validation with zod: one schema gives the check (400 with field details, in both languages)
// and the OpenAPI description.
import { applyDecorators, BadRequestException, PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiError } from './api-error';

export class ZodPipe<T extends z.ZodType> implements PipeTransform {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      'The request has invalid fields.',
      '请求中有字段不符合要求。',
      parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || 'body',
        problem: i.message,
        problemZh: zhProblem(i),
      })),
    );
  }
}

/** Chinese wording of a zod issue; schemas may set their own message as "English|中文". */
function zhProblem(issue: z.core.$ZodIssue): string {
  if (issue.message.includes('|')) return issue.message.split('|')[1];
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必填' : '类型错误';
    case 'too_small':
      return '过短或过小';
    case 'too_big':
      return '过长或过大';
    case 'invalid_value':
      return '取值不在允许范围内';
    case 'unrecognized_keys':
      return '包含未知字段';
    case 'invalid_format':
      return '格式错误';
    default:
      return '不符合要求';
  }
}

/** English part of a "English|中文" message, for zod's `message`. */
export function bilingual(en: string, zh: string): string {
  return `${en}|${zh}`;
}

export function ApiZodBody(schema: z.ZodType) {
  return applyDecorators(ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object }));
}

export function ApiZodQuery(schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, s]) =>
      ApiQuery({ name, required: (json.required ?? []).includes(name), schema: s }),
    ),
  );
}

export { BadRequestException };
