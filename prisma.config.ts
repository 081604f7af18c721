// Prisma CLI configuration. Migrations run through the WASM schema engine with the pg driver adapter,
// because the native schema engine cannot be downloaded on our machines (see docs/toolchain notes).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' });
  },
});
