/**
 * Retention analytics on the current database: `DATABASE_URL=... npx tsx bench/retention.ts`.
 * Times the services behind GET /api/crm/analytics/cohorts, /churn and /overview (the whole
 * answer: every statement, one read-only snapshot), five runs each after one warm-up, for the
 * default queries and the largest ones. Does not migrate: run the migrations first. Bar: the
 * cohort table ≤ 2 s at 1,000,000 customers and 10,000,000 orders on PostgreSQL.
 */
import { sql } from 'kysely';
import { churnQuerySchema, cohortsQuerySchema, overviewQuerySchema } from '../src/shared/analytics.js';
import { loadConfig } from '../src/server/config.js';
import { connectDatabase } from '../src/server/db/connect.js';
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

const cases: [string, () => Promise<unknown>][] = [
  ['cohorts (12 months)', () => retentionCohorts(deps, cohortsQuerySchema.parse({}))],
  ['cohorts (36 months)', () => retentionCohorts(deps, cohortsQuerySchema.parse({ months: 36 }))],
  ['churn (12 months, 25)', () => retentionChurn(deps, churnQuerySchema.parse({}), true)],
  [
    'churn (36 months, 200)',
    () => retentionChurn(deps, churnQuerySchema.parse({ months: 36, limit: 200 }), true),
  ],
  ['overview (30 days)', () => retentionOverview(deps, overviewQuerySchema.parse({}))],
  [
    'overview (365 days)',
    () => {
      const to = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
      return retentionOverview(deps, overviewQuerySchema.parse({ from, to }));
    },
  ],
];
for (const [name, run] of cases) {
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
await database.close();
