import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connect.js';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies every `migrations/NNN_name.sql` not yet applied, each in its own transaction, in name
 * order. An advisory lock keeps two starting servers from migrating at once. `until` stops after
 * that file: tests of a migration fill the schema as it was before it.
 */
export async function migrate(database: Database, until?: string): Promise<string[]> {
  const { db } = database;
  await database.exec(`
    CREATE TABLE IF NOT EXISTS crm_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f) && (until === undefined || f <= until))
    .sort();
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(727274)`.execute(conn);
    try {
      const done = new Set(
        (await sql<{ name: string }>`select name from crm_migrations`.execute(conn)).rows.map((r) => r.name),
      );
      for (const file of files) {
        if (done.has(file)) continue;
        const script = readFileSync(join(migrationsDir, file), 'utf8');
        await conn.transaction().execute(async (trx) => {
          await sql.raw(script).execute(trx);
          await sql`insert into crm_migrations (name) values (${file})`.execute(trx);
        });
        applied.push(file);
      }
    } finally {
      await sql`select pg_advisory_unlock(727274)`.execute(conn);
    }
  });
  return applied;
}
