// `npm run token -- --user U --role R [--role R2] --region C [--institution I] [--hours H]`: prints a bearer
// token for local use, signed with AUTH_SECRET (the development default unless set).
import { parseArgs } from 'node:util';
import { signToken, claimsSchema } from '../apps/api/src/auth/token';
import { loadConfig } from '../platform/config';

const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    role: { type: 'string', multiple: true },
    region: { type: 'string', default: '140000' },
    institution: { type: 'string' },
    hours: { type: 'string', default: '8' },
  },
});
const claims = claimsSchema.safeParse({ sub: values.user, roles: values.role, region: values.region, institution: values.institution });
if (!claims.success) {
  console.error('Usage: npm run token -- --user U --role R [--role R2] --region 140100 [--institution <uuid>] [--hours 8]');
  for (const i of claims.error.issues) console.error(`  ${i.path.join('.') || 'args'}: ${i.message}`);
  process.exit(2);
}
const secret = loadConfig({ ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://unused@localhost/unused' }).AUTH_SECRET;
console.log(signToken(claims.data, secret, Number(values.hours) * 3600));
