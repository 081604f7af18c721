// Configuration from environment variables, validated at start-up with defaults for the embedded stack.
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../workflows/contracts/common';

const DEV_SECRET = 'skillflow-local-development-secret';
const DEV_BID_SECRET = 'skillflow-local-development-bid-seal';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.string().url(),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
    AUTH_SECRET: z.string().min(16).default(DEV_SECRET),
    /** R9 sealed bids: the key of each process is derived from this secret (never stored with the bids) */
    BID_SEAL_SECRET: z.string().min(16).default(DEV_BID_SECRET),
    /** OCDS: the prefix of every process's ocid (registered with the OCDS helpdesk for a real deployment) */
    OCDS_OCID_PREFIX: z
      .string()
      .regex(/^ocds-[a-z0-9]{6}$/)
      .default('ocds-skflow'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.AUTH_SECRET !== DEV_SECRET, {
    message: 'AUTH_SECRET must be set in production',
    path: ['AUTH_SECRET'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.BID_SEAL_SECRET !== DEV_BID_SECRET, {
    message: 'BID_SEAL_SECRET must be set in production',
    path: ['BID_SEAL_SECRET'],
  });

export type AppConfig = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  return parsed.data;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
