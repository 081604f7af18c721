#!/usr/bin/env node
// Runs the Prisma CLI with the settings our machines need: no native engine download
// (PRISMA_QUERY_ENGINE_LIBRARY points at an existing file; the client uses a driver adapter).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY || '/bin/true',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
if (!env.DATABASE_URL) env.DATABASE_URL = 'postgresql://unused@127.0.0.1:1/unused'; // `generate` needs no database
const cli = path.join(__dirname, '..', 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: path.join(__dirname, '..') });
process.exit(result.status ?? 1);
