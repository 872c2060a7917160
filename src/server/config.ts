import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PUBLIC_URL: z.url().optional(),
  CRM_ADMIN_EMAIL: z.email().optional(),
  CRM_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SUPABASE_JWKS_URL: z.url().optional(),
  SUPABASE_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SUPABASE_JWT_AUDIENCE: z.string().default('authenticated'),
  SUPABASE_JWT_ISSUER: z.string().optional(),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST_DIR: z.string().default('./dist/web'),
  /** Run background jobs and the segment refresh in this process (turn off for API-only replicas). */
  WORKERS: bool.default(true),
  /** How often automatic segments with rules relative to today are re-evaluated. */
  SEGMENT_REFRESH_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /** Outgoing mail, e.g. smtp://user:pass@mail.example.com:587 or smtps://...:465; none: no email is sent. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('"CRM console" <crm@localhost>'),
  /** Shared secret external help desks sign POST /api/crm/tickets/inbound with (unset: refused). */
  TICKETS_INBOUND_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where mail goes when SMTP_URL is not set: one .eml file per message (default DATA_DIR/outbox). */
  OUTBOX_DIR: z.string().min(1).optional(),
  /** Shared secret mail providers sign inbound replies and event webhooks with (unset: refused). */
  EMAIL_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Shared secret an order system signs POST /api/orders/ingest/webhook with (unset: refused). */
  ORDERS_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Opens or clicks this soon after sending are a scanner's, not a reader's. */
  EMAIL_MACHINE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** Where export files are written (default DATA_DIR/exports). */
  EXPORT_DIR: z.string().min(1).optional(),
  /** Finished export files are deleted this long after they complete. */
  EXPORT_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(72),
  /** Exports with personal fields of more rows than this wait for a second admin's approval (0: never). */
  EXPORT_APPROVAL_ROWS: z.coerce.number().int().min(0).default(10_000),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  publicUrl: string | undefined;
  admin: { email: string; password: string } | undefined;
  sessionTtlHours: number;
  supabase: {
    jwksUrl: string | undefined;
    jwtSecret: string | undefined;
    audience: string;
    issuer: string | undefined;
  };
  loginRateLimit: number;
  trustProxy: boolean;
  logLevel: Env['LOG_LEVEL'];
  webDistDir: string;
  workers: boolean;
  segmentRefreshMinutes: number;
  ticketsInboundSecret: string | undefined;
  ordersWebhookSecret: string | undefined;
  mail: {
    smtpUrl: string | undefined;
    from: string;
    outboxDir: string;
    webhookSecret: string | undefined;
    machineSeconds: number;
  };
  exports: {
    dir: string;
    ttlHours: number;
    /** 0: no approval needed. */
    approvalRows: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The one place that reads process.env: parses it once and lists every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if ((e.CRM_ADMIN_EMAIL === undefined) !== (e.CRM_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD must be set together']);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    publicUrl: e.PUBLIC_URL,
    admin:
      e.CRM_ADMIN_EMAIL && e.CRM_ADMIN_PASSWORD
        ? { email: e.CRM_ADMIN_EMAIL, password: e.CRM_ADMIN_PASSWORD }
        : undefined,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    supabase: {
      jwksUrl: e.SUPABASE_JWKS_URL,
      jwtSecret: e.SUPABASE_JWT_SECRET,
      audience: e.SUPABASE_JWT_AUDIENCE,
      issuer: e.SUPABASE_JWT_ISSUER,
    },
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    webDistDir: resolve(e.WEB_DIST_DIR),
    workers: e.WORKERS,
    segmentRefreshMinutes: e.SEGMENT_REFRESH_MINUTES,
    ticketsInboundSecret: e.TICKETS_INBOUND_SECRET,
    ordersWebhookSecret: e.ORDERS_WEBHOOK_SECRET,
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      outboxDir: resolve(
        e.OUTBOX_DIR ?? join(e.DATA_DIR.startsWith('memory://') ? tmpdir() : e.DATA_DIR, 'outbox'),
      ),
      webhookSecret: e.EMAIL_WEBHOOK_SECRET,
      machineSeconds: e.EMAIL_MACHINE_SECONDS,
    },
    exports: {
      dir: resolve(
        e.EXPORT_DIR ?? join(e.DATA_DIR.startsWith('memory://') ? tmpdir() : e.DATA_DIR, 'exports'),
      ),
      ttlHours: e.EXPORT_TTL_HOURS,
      approvalRows: e.EXPORT_APPROVAL_ROWS,
    },
  };
}

/** A config for tests: in-memory database, quiet logs; override what a test needs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://' });
  return {
    ...base,
    dataDir: 'memory://',
    // tests run jobs themselves (app.workers.runner.runDue()) unless they ask for the loops
    workers: false,
    ticketsInboundSecret: undefined,
    ...overrides,
    // each test app its own outbox folder, created when the first message is written
    mail: { ...base.mail, outboxDir: join(tmpdir(), `crm-outbox-${randomUUID()}`), ...overrides.mail },
    // and its own export folder
    exports: { ...base.exports, dir: join(tmpdir(), `crm-exports-${randomUUID()}`), ...overrides.exports },
  };
}
