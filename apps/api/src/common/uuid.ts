// One check for ids in paths: a syntactically valid UUID, else the resource is not found (404, as an unknown
// id) — never a database error for a malformed one.
import { PipeTransform } from '@nestjs/common';
import { notFound } from './api-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID.test(s);
}

/** `@Param('id', new UuidPipe('Claim', '补贴申请'))`: 404 NOT_FOUND naming the resource when the id is no UUID. */
export class UuidPipe implements PipeTransform<string, string> {
  constructor(
    private readonly what: string,
    private readonly whatZh: string,
  ) {}

  transform(value: string): string {
    if (!isUuid(value)) throw notFound(this.what, this.whatZh);
    return value;
  }
}
