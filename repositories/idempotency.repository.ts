// The idempotency repository (Idempotency-Key, API.md): each key a user sends is claimed once, then holds the
// first response so a repeat returns it.
import type { Db, Prisma } from '../prisma/client';

export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /** Claims the key for a request (a key already claimed loses on the unique (userId, key)). */
  async claimKey(r: { userId: string; key: string; method: string; path: string; requestHash: string }): Promise<void> {
    await this.db.idempotencyRecord.create({ data: r });
  }

  record(userId: string, key: string) {
    return this.db.idempotencyRecord.findUnique({ where: { userId_key: { userId, key } } });
  }

  /** Stores the response the first request got. */
  async storeResponse(userId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.idempotencyRecord.update({
      where: { userId_key: { userId, key } },
      data: { statusCode, response: (response ?? null) as Prisma.InputJsonValue },
    });
  }

  /** Releases a key whose request failed, so it may be retried with the same key. */
  async release(userId: string, key: string): Promise<void> {
    await this.db.idempotencyRecord.delete({ where: { userId_key: { userId, key } } });
  }
}
