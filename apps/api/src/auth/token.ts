// Bearer tokens (HS256 JWT) carrying the user id, roles, region and, for institution users, the
// institution id (API.md). `npm run token` mints one for local use.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES } from '../../../../workflows/contracts/common';
import { isRegionCode } from '../../../../workflows/domain/region';

export const claimsSchema = z.object({
  sub: z.string().min(1).max(100),
  roles: z.array(z.enum(ROLES)).min(1),
  region: z.string().refine(isRegionCode, 'a GB/T 2260 region code'),
  institution: z.string().uuid().optional(),
  exp: z.number().int().optional(),
});
export type TokenClaims = z.infer<typeof claimsSchema>;

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export function signToken(claims: TokenClaims, secret: string, ttlSeconds = 8 * 3600, now = Date.now()): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ ...claims, exp: claims.exp ?? Math.floor(now / 1000) + ttlSeconds }));
  const sig = b64url(createHmac('sha256', secret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${sig}`;
}

/** The token's claims, or null if it is malformed, forged or expired. */
export function verifyToken(token: string, secret: string, now = Date.now()): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, sig] = parts;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    if (parsed.data.exp !== undefined && parsed.data.exp * 1000 < now) return null;
    return parsed.data;
  } catch {
    return null;
  }
}
