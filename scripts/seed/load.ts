import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from '../../src/server/db/connect.js';
import { buildCatalog } from './catalog.js';
import { ChunkedSink, type LoadSession, pgliteSession, postgresSession } from './connection.js';
import { columns, type GeneratorOptions, type Sinks, tables, WorldGenerator } from './generate.js';
import { buildPools, normalizeWords } from './pools.js';
import { Rng, streamSeed } from './random.js';
import { restoreSchema, suspendSchema } from './schema-ops.js';

export interface SeedOptions extends GeneratorOptions {
  reset: boolean;
  log: (line: string) => void;
}

export interface SeedReport {
  seconds: number;
  rows: Record<string, number>;
  phases: Record<string, number>;
}

/** Every table the seed writes; --reset empties them (and, by CASCADE, what references them). */
const dataTables = [
  'customers',
  'customer_metrics',
  'customer_emails',
  'customer_phones',
  'customer_addresses',
  'customer_events',
  'orders',
  'order_items',
  'products',
  // fitted on the orders this replaces: a model left behind would describe another shop
  'clv_models',
];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function seed(database: Database, options: SeedOptions): Promise<SeedReport> {
  const { log } = options;
  const started = performance.now();
  const phases: Record<string, number> = {};
  let mark = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = (now - mark) / 1000;
    mark = now;
  };

  const session: LoadSession =
    database.engine === 'postgres' && database.pool
      ? await postgresSession(database.pool)
      : pgliteSession(database.pglite!);
  try {
    const existing = await session.query<{ customers: boolean; orders: boolean; products: boolean }>(
      `select exists(select 1 from customers) as customers, exists(select 1 from orders) as orders,
              exists(select 1 from products) as products`,
    );
    const has = existing[0];
    if (!options.reset && has && (has.customers || has.orders || has.products)) {
      throw new SeedRefused(
        'The database already holds customers, orders or products. Run with --reset to replace them ' +
          '(customers, contacts, orders, products and what references them; staff and tokens stay).',
      );
    }

    // ---- word pools and catalogue ------------------------------------------------------------
    const rng = new Rng(streamSeed(options.seed, 0, 7));
    const pools = buildPools(options.seed, rng);
    await normalizeWords(pools.words, async (values) => {
      const rows = await session.query<{ n: string }>(
        'select crm_normalize(x) as n from unnest($1::text[]) with ordinality as t(x, o) order by o',
        [values],
      );
      return rows.map((r) => r.n);
    });
    const catalog = buildCatalog(rng, (i) => WorldGenerator.productId(options.seed, options.asOf, i));
    const generator = new WorldGenerator(options, pools, catalog);
    generator.calibrate();
    phase('prepare');

    // ---- one transaction: empty, strip, load, verify, rebuild ----------------------------------
    const bigLoad = database.engine === 'postgres';
    await session.query('begin');
    await session.query(`set local maintenance_work_mem = '${bigLoad ? '1GB' : '256MB'}'`);
    await session.query(`set local work_mem = '${bigLoad ? '256MB' : '64MB'}'`);
    // COPY FREEZE needs the tables emptied in this transaction; it writes rows already frozen and
    // marked all-visible, so there is no vacuum debt after the load.
    await session.query(`truncate ${dataTables.join(', ')} cascade`);
    const suspended = await suspendSchema(session, dataTables);
    log(
      `suspended ${suspended.indexes.length} indexes, ${suspended.constraints.length} unique constraints, ` +
        `${suspended.foreignKeys.length} foreign keys, triggers: ${suspended.triggers.map((t) => t.name).join(', ') || 'none'}`,
    );

    const products = catalog.products
      .map(
        (p) =>
          `${p.id}\t${p.sku}\t${p.name}\t${p.category}\t${(p.priceCents / 100).toFixed(2)}\t${new Date(options.asOf.getTime() - 1100 * 86_400_000).toISOString()}\n`,
      )
      .join('');
    session.enqueueCopy(
      'COPY products (id, sku, name, category, price, created_at) FROM STDIN WITH (FREEZE)',
      products,
    );
    phase('schema');

    const chunkBytes = bigLoad ? 4 << 20 : 8 << 20;
    const sinks = Object.fromEntries(
      (Object.keys(tables) as (keyof Sinks)[]).map((key) => [
        key,
        new ChunkedSink(
          session,
          `COPY ${tables[key]} (${columns[key].join(', ')}) FROM STDIN WITH (FREEZE)`,
          chunkBytes,
        ),
      ]),
    ) as Record<keyof Sinks, ChunkedSink>;

    const n = options.customers;
    // small batches: the event loop gets to push queued COPY data to the socket every few ms
    const batch = 100;
    let lastReport = performance.now();
    const loadStart = performance.now();
    for (let i = 0; i < n; ) {
      const end = Math.min(n, i + batch);
      for (; i < end; i++) generator.customer(i, sinks);
      // let the socket drain and keep at most a few chunks in flight
      await session.drain(bigLoad ? 4 : 0);
      await yieldToLoop();
      const now = performance.now();
      if (now - lastReport > 3000 || i === n) {
        lastReport = now;
        const t = generator.totals;
        const rows = t.customers + t.emails + t.phones + t.addresses + t.events + t.orders + t.items;
        const secs = (now - loadStart) / 1000;
        // orders and items are most of the work, and older customers have more of them
        const expected = options.ordersPerCustomerAvg * n;
        const done = expected > 0 ? Math.min(0.99, t.orders / expected) : i / n;
        const eta = i < n ? ` · ETA ${fmt((secs / done) * (1 - done))} s` : '';
        log(
          `  ${fmt(i)}/${fmt(n)} customers · ${fmt(t.orders)} orders · ${fmt(t.items)} items · ` +
            `${fmt(rows / secs)} rows/s · ${fmt(session.bytesSent / secs / 1e6)} MB/s${eta}`,
        );
      }
    }
    for (const sink of Object.values(sinks)) sink.flush();
    await session.drain(0);
    phase('copy');

    // ---- verify what the generator computed with the database's own definitions ---------------
    const [fixedMetrics] = await session.query<{ n: number | string }>(
      'select crm_recompute_all_metrics() as n',
    );
    log(`  metrics checked with crm_recompute_all_metrics(): ${fixedMetrics?.n ?? '?'} customers corrected`);
    // the load bypasses triggers, so the per-customer category summary is built in one pass
    const [categories] = await session.query<{ n: number | string }>(
      'select crm_rebuild_customer_categories() as n',
    );
    log(`  customer categories built: ${categories?.n ?? '?'} rows`);
    // and the retention sums (customer months, cohort and daily figures) likewise
    const [months] = await session.query<{ n: number | string }>('select crm_rebuild_customer_months() as n');
    log(`  customer months built: ${months?.n ?? '?'} rows`);
    await session.query('analyze customer_months, retention_stats');
    const fixedSearch = await session.query(
      `with e as (
         select customer_id, string_agg(email, ' ' order by is_primary desc, created_at, id) as emails
           from customer_emails group by customer_id
       ), p as (
         select customer_id,
                string_agg(phone || ' ' || regexp_replace(phone, '[^0-9]', '', 'g'), ' '
                           order by is_primary desc, created_at, id) as phones
           from customer_phones group by customer_id
       ), s as (
         select c.id, crm_normalize(concat_ws(' ', c.first_name, c.last_name, c.company, e.emails, p.phones)) as text
           from customers c left join e on e.customer_id = c.id left join p on p.customer_id = c.id
       )
       update customers c set search_text = s.text from s
        where s.id = c.id and c.search_text is distinct from s.text
       returning c.id`,
    );
    log(
      `  search_text checked against crm_refresh_customer_search's definition: ${fixedSearch.length} corrected`,
    );
    phase('verify');

    log('rebuilding indexes and constraints');
    await restoreSchema(session, suspended, log);
    // the count triggers were off during COPY: recount once so the list's total is exact
    await session.query('select crm_reset_customer_count()');
    phase('indexes');
    await session.query('commit');
    phase('commit');

    log('analyzing');
    await session.query(`vacuum (analyze) ${dataTables.join(', ')}`);
    phase('analyze');

    const t = generator.totals;
    return {
      seconds: (performance.now() - started) / 1000,
      rows: {
        customers: t.customers,
        customer_metrics: t.customers,
        customer_emails: t.emails,
        customer_phones: t.phones,
        customer_addresses: t.addresses,
        customer_events: t.events,
        orders: t.orders,
        order_items: t.items,
        products: catalog.products.length,
      },
      phases,
    };
  } catch (error) {
    await session.abort();
    throw error;
  } finally {
    await session.release();
  }
}

export class SeedRefused extends Error {}
