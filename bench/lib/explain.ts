import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../../src/server/db/connect.js';
import type { DB } from '../../src/server/db/schema.js';

/**
 * Runs a piece of the app's query code with a Kysely that records the SQL it sends, then asks
 * PostgreSQL for EXPLAIN (ANALYZE, BUFFERS) of each statement: the plans behind the numbers.
 */
export async function explainCalls(
  database: Database,
  run: (db: Kysely<DB>) => Promise<unknown>,
): Promise<{ sql: string; plan: string }[]> {
  if (!database.pool) throw new Error('--explain needs PostgreSQL (DATABASE_URL)');
  const captured: CompiledQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: database.pool }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  await run(db);
  const out: { sql: string; plan: string }[] = [];
  for (const q of captured) {
    const res = await database.pool.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) ${q.sql}`,
      q.parameters as unknown[],
    );
    out.push({
      sql: `${q.sql}\n-- parameters: ${JSON.stringify(q.parameters)}`,
      plan: res.rows.map((r) => r['QUERY PLAN']).join('\n'),
    });
  }
  return out;
}
