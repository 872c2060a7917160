import type { Config } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/connect.js';
import { createApiToken } from '../../src/server/modules/auth/auth.service.js';
import { digest, randomSecret } from '../../src/server/platform/passwords.js';

/**
 * A throw-away administrator for the benchmark: an API token for the HTTP measurements and a
 * session (cookie secret) for the browser. Made directly in the database (no password exists to
 * leak) and removed again by `dispose`.
 */
export interface BenchIdentity {
  staffId: string;
  token: string;
  sessionSecret: string;
  dispose(): Promise<void>;
}

const BENCH_EMAIL = 'benchmark@crm-bench.invalid';

export async function createBenchIdentity(database: Database, config: Config): Promise<BenchIdentity> {
  const { db } = database;
  const existing = await db
    .selectFrom('staff_users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', BENCH_EMAIL))
    .executeTakeFirst();
  const staffId =
    existing?.id ??
    (
      await db
        .insertInto('staff_users')
        .values({ email: BENCH_EMAIL, name: 'Benchmark (temporary)', role: 'admin' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const created = await createApiToken({ database, db, config, jwt: null }, staffId, { name: 'benchmark' });
  const sessionSecret = randomSecret();
  await db
    .insertInto('staff_sessions')
    .values({
      id: digest(sessionSecret),
      staff_id: staffId,
      expires_at: new Date(Date.now() + 3600_000),
      user_agent: 'crm-bench',
      ip: '127.0.0.1',
    })
    .execute();
  return {
    staffId,
    token: created.token,
    sessionSecret,
    async dispose() {
      // sessions and tokens go with the user (ON DELETE CASCADE)
      await db.deleteFrom('staff_users').where('id', '=', staffId).execute();
    },
  };
}
