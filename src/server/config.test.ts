import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, testConfig } from './config.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts with no variables at all: embedded database under ./data on 127.0.0.1:3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      databaseUrl: undefined,
      databasePoolSize: 10,
      publicUrl: undefined,
      admin: undefined,
      sessionTtlHours: 12,
      supabase: { jwksUrl: undefined, jwtSecret: undefined, audience: 'authenticated', issuer: undefined },
      loginRateLimit: 10,
      trustProxy: false,
      logLevel: 'info',
      webDistDir: resolve('./dist/web'),
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/crm',
      DATABASE_URL: 'postgresql://crm@db:5432/crm',
      DATABASE_POOL_SIZE: '25',
      PUBLIC_URL: 'https://crm.example.com',
      CRM_ADMIN_EMAIL: 'boss@example.com',
      CRM_ADMIN_PASSWORD: 'a-long-password',
      SESSION_TTL_HOURS: '1.5',
      SUPABASE_JWKS_URL: 'https://abc.supabase.co/auth/v1/.well-known/jwks.json',
      SUPABASE_JWT_SECRET: 'sixteen-chars-or-more',
      SUPABASE_JWT_AUDIENCE: 'crm',
      SUPABASE_JWT_ISSUER: 'https://abc.supabase.co/auth/v1',
      LOGIN_RATE_LIMIT: '3',
      TRUST_PROXY: 'yes',
      LOG_LEVEL: 'debug',
      WEB_DIST_DIR: '/srv/web',
      WORKERS: 'false',
      SEGMENT_REFRESH_MINUTES: '15',
      TICKETS_INBOUND_SECRET: 'a-shared-secret-of-16+',
      SMTP_URL: 'smtps://crm:secret@mail.example.com:465',
      MAIL_FROM: 'CRM <crm@example.com>',
      OUTBOX_DIR: '/var/spool/crm-outbox',
      EMAIL_WEBHOOK_SECRET: 'another-secret-of-16+',
      EMAIL_MACHINE_SECONDS: '5',
      EXPORT_DIR: '/var/lib/crm-exports',
      EXPORT_TTL_HOURS: '24',
      EXPORT_APPROVAL_ROWS: '0',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/crm',
      databaseUrl: 'postgresql://crm@db:5432/crm',
      databasePoolSize: 25,
      publicUrl: 'https://crm.example.com',
      admin: { email: 'boss@example.com', password: 'a-long-password' },
      sessionTtlHours: 1.5,
      supabase: {
        jwksUrl: 'https://abc.supabase.co/auth/v1/.well-known/jwks.json',
        jwtSecret: 'sixteen-chars-or-more',
        audience: 'crm',
        issuer: 'https://abc.supabase.co/auth/v1',
      },
      loginRateLimit: 3,
      trustProxy: true,
      logLevel: 'debug',
      webDistDir: '/srv/web',
      workers: false,
      segmentRefreshMinutes: 15,
      ticketsInboundSecret: 'a-shared-secret-of-16+',
      mail: {
        smtpUrl: 'smtps://crm:secret@mail.example.com:465',
        from: 'CRM <crm@example.com>',
        outboxDir: '/var/spool/crm-outbox',
        webhookSecret: 'another-secret-of-16+',
        machineSeconds: 5,
      },
      exports: { dir: '/var/lib/crm-exports', ttlHours: 24, approvalRows: 0 },
    });
  });

  it('puts export files under DATA_DIR unless EXPORT_DIR says where', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/crm' }).exports).toEqual({
      dir: '/var/lib/crm/exports',
      ttlHours: 72,
      approvalRows: 10_000,
    });
    expect(() => loadConfig({ EXPORT_TTL_HOURS: '0' })).toThrow(/EXPORT_TTL_HOURS/);
  });

  it('puts the mail outbox under DATA_DIR unless OUTBOX_DIR says where', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/crm' }).mail.outboxDir).toBe('/var/lib/crm/outbox');
    expect(() => loadConfig({ EMAIL_WEBHOOK_SECRET: 'short' })).toThrow(/EMAIL_WEBHOOK_SECRET/);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('TRUST_PROXY=%s reads as %s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(expected);
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', CRM_ADMIN_EMAIL: '', CRM_ADMIN_PASSWORD: '' });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.admin).toBeUndefined();
  });

  it('lists every bad variable at once, each by name', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root@db/crm',
      DATABASE_POOL_SIZE: '0',
      PUBLIC_URL: 'not a url',
      CRM_ADMIN_EMAIL: 'not-an-email',
      CRM_ADMIN_PASSWORD: 'short',
      SESSION_TTL_HOURS: '-1',
      SUPABASE_JWKS_URL: 'nope',
      SUPABASE_JWT_SECRET: 'too-short',
      LOGIN_RATE_LIMIT: '0',
      TRUST_PROXY: 'maybe',
      LOG_LEVEL: 'loud',
      SMTP_URL: 'http://mail.example.com',
    });
    const named = problems.map((p) => p.split(':')[0]);
    expect(named.sort()).toEqual(
      [
        'PORT',
        'DATABASE_URL',
        'DATABASE_POOL_SIZE',
        'PUBLIC_URL',
        'SMTP_URL',
        'CRM_ADMIN_EMAIL',
        'CRM_ADMIN_PASSWORD',
        'SESSION_TTL_HOURS',
        'SUPABASE_JWKS_URL',
        'SUPABASE_JWT_SECRET',
        'LOGIN_RATE_LIMIT',
        'TRUST_PROXY',
        'LOG_LEVEL',
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).toContain('must be a postgres:// URL');
    expect(problems.find((p) => p.startsWith('CRM_ADMIN_PASSWORD'))).toContain('at least 10 characters');
  });

  it('refuses a port out of range and a fractional port', () => {
    expect(problemsOf({ PORT: '70000' })[0]).toMatch(/^PORT:/);
    expect(problemsOf({ PORT: '80.5' })[0]).toMatch(/^PORT:/);
  });

  it('the error message lists the problems one per line', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrowError(
      /Invalid configuration:\n {2}- PORT.*\n {2}- LOG_LEVEL/,
    );
  });

  it('wants CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD together', () => {
    expect(problemsOf({ CRM_ADMIN_EMAIL: 'boss@example.com' })).toEqual([
      'CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD must be set together',
    ]);
    expect(problemsOf({ CRM_ADMIN_PASSWORD: 'a-long-password' })).toEqual([
      'CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD must be set together',
    ]);
  });
});

describe('testConfig', () => {
  it('keeps the database in memory and the log silent, and takes overrides', () => {
    const config = testConfig({ loginRateLimit: 2 });
    expect(config.dataDir).toBe('memory://');
    expect(config.logLevel).toBe('silent');
    expect(config.loginRateLimit).toBe(2);
    expect(config.databaseUrl).toBeUndefined();
  });
});
