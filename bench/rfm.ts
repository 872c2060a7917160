/**
 * RFM rescoring time on the current database: `npx tsx bench/rfm.ts` (DATABASE_URL or DATA_DIR).
 * Runs crm_score_rfm() twice: the first scores from whatever is stored (all new after a seed), the
 * second shows the cost when nothing changed. Bar: ≤ 60 s at 1,000,000 customers on PostgreSQL.
 */
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';

const config = loadConfig();
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(database);
const customers = await sql<{ n: string }>`select count(*) as n from customers`.execute(database.db);
console.log(`${database.engine}: ${Number(customers.rows[0]!.n).toLocaleString('en-US')} customers`);
for (const run of [1, 2]) {
  const started = performance.now();
  const changed = await sql<{ n: string }>`select crm_score_rfm() as n`.execute(database.db);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `run ${run}: ${Number(changed.rows[0]!.n).toLocaleString('en-US')} scores changed in ${seconds.toFixed(1)} s (bar ≤ 60 s)`,
  );
}
await database.close();
