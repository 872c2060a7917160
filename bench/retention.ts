/**
 * Retention analytics on the current database: `DATABASE_URL=... npx tsx bench/retention.ts
 * [--explain]`. Times the services behind GET /api/crm/analytics/cohorts, /churn and /overview
 * (the whole answer: every statement, one read-only snapshot), five runs each after one warm-up,
 * for the default queries and the largest ones. With --explain, also EXPLAIN (ANALYZE, BUFFERS)
 * of every statement each one sends (execution times and the top of each plan). Does not
 * migrate: run the migrations first. Bar: the cohort table ≤ 2 s at 1,000,000 customers and
 * 10,000,000 orders on PostgreSQL.
 */
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { churnQuerySchema, cohortsQuerySchema, overviewQuerySchema } from '../src/shared/analytics.js';
import { loadConfig } from '../src/server/config.js';
import { connectDatabase } from '../src/server/db/connect.js';
import type { DB } from '../src/server/db/schema.js';
import {
  retentionChurn,
  retentionCohorts,
  retentionOverview,
} from '../src/server/modules/analytics/retention.service.js';
import type { AppDeps } from '../src/server/platform/deps.js';

const config = loadConfig();
const database = await connectDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  poolSize: 2,
});
const deps: AppDeps = { database, db: database.db, config, jwt: null };
const counts = await sql<{ customers: string; orders: string; months: string }>`
  select (select sum(delta) from customer_count_deltas) as customers,
         (select reltuples::bigint from pg_class where relname = 'orders') as orders,
         (select count(*) from customer_months) as months`.execute(database.db);
const c = counts.rows[0]!;
console.log(
  `${database.engine}: ${Number(c.customers).toLocaleString('en-US')} customers, ~${Number(c.orders).toLocaleString('en-US')} orders, ${Number(c.months).toLocaleString('en-US')} customer months`,
);

const cases: [string, (d: AppDeps) => Promise<unknown>][] = [
  ['cohorts (12 months)', (d) => retentionCohorts(d, cohortsQuerySchema.parse({}))],
  ['cohorts (36 months)', (d) => retentionCohorts(d, cohortsQuerySchema.parse({ months: 36 }))],
  ['churn (12 months, 25)', (d) => retentionChurn(d, churnQuerySchema.parse({}), true)],
  [
    'churn (36 months, 200)',
    (d) => retentionChurn(d, churnQuerySchema.parse({ months: 36, limit: 200 }), true),
  ],
  ['overview (30 days)', (d) => retentionOverview(d, overviewQuerySchema.parse({}))],
  [
    'overview (365 days)',
    (d) => {
      const to = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
      return retentionOverview(d, overviewQuerySchema.parse({ from, to }));
    },
  ],
];
for (const [name, call] of cases) {
  const run = () => call(deps);
  await run();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(24)} median ${times[2]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times[4]!.toFixed(0)} ms`,
  );
}
if (process.argv.includes('--explain') && database.pool) {
  const pool = database.pool;
  for (const [name, call] of cases) {
    console.log(`\n== ${name}`);
    // the statements one answer sends, recorded, then explained one by one
    const captured: CompiledQuery[] = [];
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        if (event.level === 'query' && /^\s*(select|with)/i.test(event.query.sql)) captured.push(event.query);
      },
    });
    await call({ ...deps, db });
    for (const q of captured) {
      const res = await pool.query(`explain (analyze, buffers) ${q.sql}`, q.parameters as unknown[]);
      const lines = res.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
      const time = lines.find((l) => l.startsWith('Execution Time')) ?? '';
      console.log(`${time.padEnd(30)} ${q.sql.replace(/\s+/g, ' ').trim().slice(0, 100)}`);
      console.log(`    ${lines[0]!.trim().slice(0, 140)}`);
    }
  }
}
await database.close();
