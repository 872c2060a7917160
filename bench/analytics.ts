/**
 * Order ingest and customer analytics at scale (issue 7's bars), on the current PostgreSQL
 * database (DATABASE_URL), filled by `npm run seed` (1,000,000 customers, 10,000,000 orders):
 *
 *   ingest ≥ 5,000 orders/s with metrics exact   POST /api/orders/ingest, batches of 10,000
 *   model refit ≤ 120 s                          the clv.fit job's work (fitModel), in this process
 *   cohort table ≤ 2 s                           GET /api/crm/analytics/cohorts (also churn, overview)
 *   affinity recompute ≤ 60 s                    the analytics.affinity job's work, in this process
 *   one customer's insights and recommendations ≤ 100 ms   GET .../insights and .../recommendations
 *
 *   npm run bench:analytics -- [--batches 4] [--streams 2] [--customers 200] [--no-write]
 *
 * HTTP goes to a real server process (bench/lib/server.ts). The ingested orders are deleted again
 * afterwards (with the customers' metrics refreshed), so the data set stays as seeded.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { IngestResult } from '../src/shared/orders.js';
import { loadConfig } from '../src/server/config.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { recomputeAffinity } from '../src/server/modules/analytics/affinity.service.js';
import { fitModel } from '../src/server/modules/clv/clv.service.js';
import { createBenchIdentity } from './lib/identity.js';
import { freePort, startServer, stopServer } from './lib/server.js';
import { markdownTable, ms, percentile } from './lib/stats.js';

const docPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const BATCH = 10_000;

export interface AnalyticsBenchOptions {
  batches: number;
  streams: number;
  customers: number;
  write: boolean;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export async function benchAnalytics(args: AnalyticsBenchOptions) {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('bench:analytics measures PostgreSQL: set DATABASE_URL');
  const database = await connectDatabase({ databaseUrl: config.databaseUrl });
  await migrate(database);
  const { db } = database;
  const deps = { database, db, config, jwt: null };
  const identity = await createBenchIdentity(database, config);
  const port = await freePort();
  const server = await startServer(port);
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${identity.token}` };
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  // this machine's PostgreSQL runs without autovacuum: clear what earlier runs left behind in the
  // tables this benchmark rewrites, as autovacuum would have
  await sql`vacuum (analyze) customers, customer_metrics, customer_predictions, customer_categories, orders, order_items, customer_months`.execute(
    db,
  );
  const loadBefore = loadavg()[0] ?? 0;
  const rows: string[][] = [];
  const facts: string[] = [];
  const run = Date.now();
  try {
    const counts = (
      await sql<{ customers: number; orders: number }>`
        select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders`.execute(
        db,
      )
    ).rows[0]!;
    facts.push(
      `${counts.customers.toLocaleString('en')} customers, ${counts.orders.toLocaleString('en')} orders`,
    );

    // ---- ingest: batches of 10,000 orders of existing customers, `streams` batches at a time
    const { batches, streams } = args;
    const buyers = (
      await sql<{
        id: string;
      }>`select id from customers tablesample system (2) limit ${batches * BATCH}`.execute(db)
    ).rows.map((r) => r.id);
    const bodies = Array.from({ length: batches }, (_, b) =>
      JSON.stringify({
        orders: Array.from({ length: BATCH }, (_, i) => ({
          external_id: `bench-ingest-${run}-${b}-${i}`,
          customer_id: buyers[(b * BATCH + i) % buyers.length],
          placed_at: new Date(run - i * 1000).toISOString(),
          items: [
            { sku: `COF-${String((i % 18) + 1).padStart(4, '0')}`, quantity: 1 + (i % 3), unit_price: 12.5 },
            { sku: `TEA-${String((i % 18) + 1).padStart(4, '0')}`, quantity: 1, unit_price: 7.25 },
          ],
        })),
      }),
    );
    const ingest = await timed(async () => {
      let next = 0;
      let accepted = 0;
      await Promise.all(
        Array.from({ length: streams }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++]!;
            const res = await fetch(`${base}/api/orders/ingest`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body,
            });
            if (!res.ok) throw new Error(`ingest: ${res.status} ${await res.text()}`);
            accepted += ((await res.json()) as IngestResult).accepted;
          }
        }),
      );
      return accepted;
    });
    const rate = ingest.value / (ingest.ms / 1000);
    // metrics exact: every touched customer's stored metrics against a recount of their orders
    const wrong = (
      await sql<{ n: number }>`
        select count(*)::int as n from customer_metrics c
        cross join lateral (
          select count(*)::int as n, coalesce(sum(total), 0) as revenue, max(placed_at) as last_at
          from orders o where o.customer_id = c.customer_id and o.status in ('paid', 'fulfilled')) m
        where c.customer_id = any(${buyers}::uuid[])
          and (c.total_orders, c.lifetime_value, c.last_order_date) is distinct from (m.n, m.revenue, m.last_at)`.execute(
        db,
      )
    ).rows[0]!.n;
    rows.push([
      `ingest ${batches} × ${BATCH.toLocaleString('en')} orders, ${streams} at a time`,
      `${(ingest.ms / 1000).toFixed(1)} s`,
      `${Math.round(rate).toLocaleString('en')} orders/s`,
      '≥ 5,000 orders/s',
    ]);
    facts.push(`after ingest, customers whose metrics differ from a recount of their orders: ${wrong}`);
    console.log(rows.at(-1)?.join('  '), `metrics wrong: ${wrong}`);

    // ---- the customer-value model, each fit timed as a whole (summaries, fit, scoring):
    //   - on a database no model has scored yet (a fresh seed: its values are the generator's
    //     placeholders) a first fit, where every buyer's value is new;
    //   - a refit on a window 8 weeks earlier (on demand), so the parameters and most predictions
    //     move and most buyers' customers rows are rewritten: the worst case;
    //   - the refit back on the default window, after the ingest: as cold again;
    //   - the same once more: predictions move by under 0.5 % and the rows stay (the nightly case)
    const fitOnce = async (label: string, input: { calibration_end?: string }) => {
      const fit = await timed(() => fitModel(deps, { createdBy: null, ...input }));
      rows.push([
        `${label} (${fit.value.customers_scored.toLocaleString('en')} buyers scored)`,
        `${(fit.ms / 1000).toFixed(1)} s`,
        `fitted on ${fit.value.customers.toLocaleString('en')} calibration customers`,
        '≤ 120 s',
      ]);
      console.log(rows.at(-1)?.join('  '));
      return fit.value;
    };
    const current =
      (
        await sql<{ calibration_end: string }>`
          select calibration_end::text from clv_models order by fitted_at desc limit 1`.execute(db)
      ).rows[0]?.calibration_end ??
      (await fitOnce('first fit (no model yet: every buyer’s value is new)', {})).calibration_end;
    const earlier = new Date(Date.parse(`${current}T00:00:00Z`) - 8 * 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await fitOnce(`model refit, calibration end 8 weeks earlier (${earlier}), most values move`, {
      calibration_end: earlier,
    });
    const model = await fitOnce('model refit, default calibration end, most values move', {});
    facts.push(
      `model: r ${model.bgnbd.r.toFixed(3)}, alpha ${model.bgnbd.alpha.toFixed(3)}, a ${model.bgnbd.a.toFixed(3)}, b ${model.bgnbd.b.toFixed(3)}, calibration to ${model.calibration_end}; holdout predicted ${Math.round(model.holdout?.predicted_transactions ?? 0).toLocaleString('en')} vs actual ${(model.holdout?.actual_transactions ?? 0).toLocaleString('en')} transactions`,
    );
    await fitOnce('model refit again, same orders (the nightly case)', {});

    // ---- product affinity, as the nightly job recomputes it
    const affinity = await timed(() => recomputeAffinity(db));
    rows.push([
      'affinity recompute',
      `${(affinity.ms / 1000).toFixed(1)} s`,
      `${affinity.value.rules.toLocaleString('en')} rules over ${affinity.value.orders.toLocaleString('en')} orders`,
      '≤ 60 s',
    ]);
    console.log(rows.at(-1)?.join('  '));

    // ---- shop-wide reports over HTTP: the first call and the median of five more
    for (const [name, path, bar] of [
      ['cohort table (12 months)', '/api/crm/analytics/cohorts', '≤ 2 s'],
      ['churn and win-back list', '/api/crm/analytics/churn', '-'],
      ['overview (30 days vs previous)', '/api/crm/analytics/overview', '-'],
      ['affinity rules (top 50 by lift)', '/api/crm/analytics/products/affinity', '-'],
    ] as const) {
      const first = await timed(() => get(path));
      const again: number[] = [];
      for (let i = 0; i < 5; i++) again.push((await timed(() => get(path))).ms);
      rows.push([name, ms(first.ms), `median of 5 more ${ms(percentile(again, 50))}`, bar]);
      console.log(rows.at(-1)?.join('  '));
    }

    // ---- one customer's insights and recommendations
    const sample = (
      await sql<{ id: string }>`
        select customer_id as id from customer_metrics tablesample system (1) where total_orders > 0 limit ${args.customers}`.execute(
        db,
      )
    ).rows.map((r) => r.id);
    for (const [name, suffix] of [
      ['one customer’s insights', 'insights'],
      ['one customer’s recommendations', 'recommendations'],
    ] as const) {
      const times: number[] = [];
      for (const id of sample) times.push((await timed(() => get(`/api/crm/customers/${id}/${suffix}`))).ms);
      rows.push([
        `${name} (${sample.length} customers)`,
        `p50 ${ms(percentile(times, 50))}`,
        `p95 ${ms(percentile(times, 95))}, max ${ms(Math.max(...times))}`,
        '≤ 100 ms',
      ]);
      console.log(rows.at(-1)?.join('  '));
    }
  } finally {
    await stopServer(server).catch(() => undefined);
    // the ingested orders go again, with their customers' metrics refreshed once (migration 024)
    await db.transaction().execute(async (trx) => {
      await sql`select set_config('crm.batch_metrics', 'on', true)`.execute(trx);
      const gone = await sql<{ customer_id: string }>`
        delete from orders where external_id like ${`bench-ingest-${run}-%`} returning customer_id`.execute(
        trx,
      );
      const ids = [...new Set(gone.rows.map((r) => r.customer_id))];
      if (ids.length) await sql`select crm_refresh_customers_metrics(${ids}::uuid[])`.execute(trx);
    });
    await identity.dispose().catch(() => undefined);
    await database.close();
  }

  const table = markdownTable(['what', 'time', 'detail', 'bar'], rows);
  console.log(`\n${table}\n${facts.join('\n')}`);
  if (!args.write) return;
  const section = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; load ${loadBefore.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end.`,
    'Command: `DATABASE_URL=postgres://… npm run bench:analytics`',
    '',
    table,
    '',
    ...facts.map((f) => `- ${f}`),
  ].join('\n');
  const marker = 'results:analytics-postgres';
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const block = `${start}\n${section}\n${end}`;
  const next = doc.includes(start)
    ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block)
    : `${doc.trimEnd()}\n\n## Order ingest and customer analytics (issue 7)\n\n${block}\n`;
  writeFileSync(docPath, next);
  console.log(`results written to ${docPath}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      batches: { type: 'string', default: '4' },
      streams: { type: 'string', default: '2' },
      customers: { type: 'string', default: '200' },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  });
  benchAnalytics({
    batches: Number(values.batches),
    streams: Number(values.streams),
    customers: Number(values.customers),
    write: !values['no-write'],
  }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
