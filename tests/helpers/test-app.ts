import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { StaffRole } from '../../src/shared/enums.js';
import { buildApp } from '../../src/server/app.js';
import { type Config, testConfig } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/connect.js';
import { digest, hashPassword, randomSecret } from '../../src/server/platform/passwords.js';
import { createTestDatabase } from './test-database.js';

export interface StaffHandle {
  id: string;
  email: string;
  role: StaffRole;
  /** Headers that authenticate as this staff user (a personal API token). */
  headers: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
  /** Makes a staff user with this role and an API token for it. */
  staff(role: StaffRole, opts?: { password?: string; email?: string }): Promise<StaffHandle>;
  /** app.inject with JSON parsed; `as` picks whose credentials to send. */
  request(
    opts: InjectOptions & { as?: StaffHandle },
  ): Promise<LightMyRequestResponse & { body: string; json<T = unknown>(): T }>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(overrides);
  const app = await buildApp({ database, config });
  await app.ready();

  return {
    app,
    database,
    config,
    async staff(role, opts = {}) {
      counter += 1;
      const email = opts.email ?? `${role}${counter}-${Date.now()}@staff.test`;
      const staff = await database.db
        .insertInto('staff_users')
        .values({
          email,
          name: `${role[0]!.toUpperCase()}${role.slice(1)} ${counter}`,
          role,
          password_hash: opts.password ? await hashPassword(opts.password) : null,
        })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      const token = `crm_${randomSecret(24)}`;
      await database.db
        .insertInto('api_tokens')
        .values({ staff_id: staff.id, name: 'test', prefix: token.slice(0, 12), token_hash: digest(token) })
        .execute();
      return { id: staff.id, email, role, headers: { authorization: `Bearer ${token}` } };
    },
    async request({ as, ...opts }) {
      const res = await app.inject({ ...opts, headers: { ...(as?.headers ?? {}), ...(opts.headers ?? {}) } });
      return res as LightMyRequestResponse & { body: string; json<T = unknown>(): T };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
