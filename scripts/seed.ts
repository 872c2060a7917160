/**
 * Demo and benchmark data: `npm run seed -- --customers 100000 [--orders-per-customer-avg 10]
 * [--seed 42] [--as-of 2025-01-01] [--reset]`.
 *
 * Uses DATABASE_URL when set, else the embedded database in DATA_DIR (default ./data), exactly as
 * the server does (src/server/config.ts). Runs the migrations first. The same --seed and --as-of
 * give the same data, byte for byte.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { SeedRefused, seed } from './seed/load.js';

const usage = `Usage: npm run seed -- --customers N [--orders-per-customer-avg 10] [--seed 42] [--as-of YYYY-MM-DD] [--reset]

  --customers N                 customers to create (required)
  --orders-per-customer-avg X   average orders per customer, long-tailed (default 10)
  --seed S                      random seed; the same seed gives the same data (default 42)
  --as-of DATE                  "today" of the generated world (default: today, UTC)
  --reset                       empty customer, order and product data first (staff and tokens stay)

Target database: DATABASE_URL if set, else the embedded PGlite database in DATA_DIR (default ./data).`;

function parse() {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string' },
      'orders-per-customer-avg': { type: 'string', default: '10' },
      seed: { type: 'string', default: '42' },
      'as-of': { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const customers = Number(values.customers);
  const avg = Number(values['orders-per-customer-avg']);
  const seedValue = Number(values.seed);
  const asOf = values['as-of'] ? new Date(`${values['as-of']}T00:00:00Z`) : new Date();
  if (!values['as-of']) asOf.setUTCHours(0, 0, 0, 0);
  const problems: string[] = [];
  if (!Number.isInteger(customers) || customers < 1) problems.push('--customers must be a positive integer');
  if (!Number.isFinite(avg) || avg < 0 || avg > 1000)
    problems.push('--orders-per-customer-avg must be 0..1000');
  if (!Number.isInteger(seedValue)) problems.push('--seed must be an integer');
  if (Number.isNaN(asOf.getTime())) problems.push('--as-of must be a date like 2025-01-31');
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n\n${usage}`);
    process.exit(2);
  }
  return { customers, ordersPerCustomerAvg: avg, seed: seedValue, asOf, reset: values.reset };
}

async function main() {
  const args = parse();
  const config = loadConfig();
  const target = config.databaseUrl
    ? `PostgreSQL ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}`
    : `PGlite in ${config.dataDir}`;
  console.log(
    `seeding ${target}: ${args.customers.toLocaleString('en-US')} customers, ~${args.ordersPerCustomerAvg} orders each, ` +
      `seed ${args.seed}, as of ${args.asOf.toISOString().slice(0, 10)}${args.reset ? ', reset' : ''}`,
  );
  const database = await connectDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    const applied = await migrate(database);
    if (applied.length > 0) console.log(`migrations applied: ${applied.join(', ')}`);
    const report = await seed(database, { ...args, log: (line) => console.log(line) });
    console.log('\nrows:');
    for (const [table, rows] of Object.entries(report.rows)) {
      console.log(`  ${table.padEnd(20)} ${rows.toLocaleString('en-US').padStart(12)}`);
    }
    console.log(
      `phases: ${Object.entries(report.phases)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ')}`,
    );
    console.log(`done in ${report.seconds.toFixed(1)} s`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof SeedRefused || error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
