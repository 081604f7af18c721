// Typed failures that retrying cannot fix, thrown by repositories and activities; their names are listed once, in
// workflows/contracts/common.ts NON_RETRYABLE_ERROR_TYPES, which the workflows' retry policies use.
export class RecordNotFoundError extends Error {
  override name = 'RecordNotFoundError';
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`);
  }
}

/** A write lost the race on a unique key (PostgreSQL unique violation, as Prisma reports it). */
export { isUniqueViolation } from '../prisma/client';

/** R2.4 a roster that would take a procured lot's classes beyond the trainees it bought (nothing is stored). */
export class LotCapacityExceeded extends Error {
  override name = 'LotCapacityExceeded';
  constructor(
    readonly capacity: number,
    readonly enrolled: number,
  ) {
    super(`the procured lot buys training for ${capacity} people; the roster would bring its classes to ${enrolled}`);
  }
}
