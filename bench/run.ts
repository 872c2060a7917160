/**
 * Customer API latency at scale: `npm run bench -- [--customers N] [--requests 60] [--no-browser]`.
 *
 * Runs against the CURRENT database (DATABASE_URL, else the PGlite database in DATA_DIR), builds
 * the real app in-process, listens on a local port and times real HTTP requests. See
 * docs/benchmarks.md for the bars, the method and the results.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { type CustomerListQuery, customerListQuerySchema } from '../src/shared/customers.js';
import { buildApp } from '../src/server/app.js';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { connectDatabase, type Database } from '../src/server/db/connect.js';
import type { DB } from '../src/server/db/schema.js';
import { migrate } from '../src/server/db/migrate.js';
import { countCustomers, listCustomerPage } from '../src/server/modules/customers/customers.queries.js';
import { SESSION_COOKIE } from '../src/server/modules/auth/auth.service.js';
import { type BrowserRun, measureFirstRow, ROW_SELECTOR } from './lib/browser.js';
import { explainCalls } from './lib/explain.js';
import { createBenchIdentity } from './lib/identity.js';
import { writeReport } from './lib/report.js';
import { markdownTable, ms, percentile } from './lib/stats.js';
import { sampleWorkload } from './lib/workload.js';
import { benchSegments } from './segments.js';
import { benchAnalytics } from './analytics.js';
import { benchExports } from './exports.js';
import { benchTracking } from './tracking.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Fragments that match many customers in any seeded data set (from 5% to over half). */
const broadTerms = ['gmail', 'mar', 'son', 'ann', 'ber', 'and', 'ell', 'ric', 'hotmail', 'ita'];

function parse() {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string' },
      requests: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '10' },
      'deep-pages': { type: 'string', default: '50' },
      'browser-runs': { type: 'string', default: '5' },
      'no-browser': { type: 'boolean', default: false },
      'no-segments': { type: 'boolean', default: false },
      'no-tracking': { type: 'boolean', default: false },
      'no-exports': { type: 'boolean', default: false },
      'no-analytics': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(`Usage: npm run bench -- [--customers N] [--requests 60] [--warmup 10] [--deep-pages 50]
                        [--browser-runs 5] [--no-browser] [--no-segments] [--no-tracking] [--no-exports] [--no-analytics] [--no-write]

  --customers N   the smallest data set to accept (default: 1,000,000 on PostgreSQL, 100,000 on PGlite)
  --requests N    timed requests per operation (at least 50 recommended)
  --no-segments   skip the segmentation timings (preview, refresh, bulk tagging, RFM)
  --no-tracking   skip the email tracking load test (also: npm run bench:tracking)
  --no-exports    skip the CSV and XLSX exports of every customer (PostgreSQL; also: npm run bench:exports)
  --no-analytics  skip order ingest and the analytics bars (PostgreSQL; also: npm run bench:analytics)
  --no-write      print only; do not update docs/benchmarks.md
  --explain       PostgreSQL: also write EXPLAIN (ANALYZE, BUFFERS) of the list and count queries
                  to bench/.out/explain-postgres.txt`);
    process.exit(0);
  }
  return {
    customers: values.customers ? Number(values.customers) : undefined,
    requests: Math.max(1, Number(values.requests)),
    warmup: Math.max(0, Number(values.warmup)),
    deepPages: Math.max(1, Number(values['deep-pages'])),
    browserRuns: Math.max(1, Number(values['browser-runs'])),
    browser: !values['no-browser'],
    segments: !values['no-segments'],
    tracking: !values['no-tracking'],
    exports: !values['no-exports'],
    analytics: !values['no-analytics'],
    write: !values['no-write'],
    explain: values.explain,
  };
}

export interface OpResult {
  name: string;
  detail: string;
  bar: number;
  samples: number[];
  server: number[];
}

/** Records the server-side time of each request (Fastify's reply.elapsedTime) by a request header. */
function recordServerTimes(app: FastifyInstance): Map<string, number> {
  const times = new Map<string, number>();
  app.addHook('onResponse', async (request, reply) => {
    const id = request.headers['x-bench-id'];
    if (typeof id === 'string') times.set(id, reply.elapsedTime);
  });
  return times;
}

class Client {
  private n = 0;
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly serverTimes: Map<string, number>,
  ) {}
  /** GET, or POST with a JSON body when `json` is given. */
  async get<T>(path: string, json?: unknown): Promise<{ body: T; ms: number; serverMs: number }> {
    const id = String(++this.n);
    const t0 = performance.now();
    const res = await fetch(this.baseUrl + path, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${this.token}`,
        'x-bench-id': id,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const body = (await res.json()) as T;
    const elapsed = performance.now() - t0;
    if (!res.ok) throw new Error(`${path} -> ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const serverMs = this.serverTimes.get(id) ?? Number.NaN;
    this.serverTimes.delete(id);
    return { body, ms: elapsed, serverMs };
  }
}

interface ListBody {
  data: { id: string }[];
  next_cursor: string | null;
  total: number;
}

const qs = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();

async function timeOp(
  client: Client,
  name: string,
  detail: string,
  bar: number,
  paths: string[],
  warmup: number,
): Promise<OpResult> {
  for (const path of paths.slice(0, warmup)) await client.get(path);
  const samples: number[] = [];
  const server: number[] = [];
  for (const path of paths) {
    const r = await client.get(path);
    samples.push(r.ms);
    server.push(r.serverMs);
  }
  return { name, detail, bar, samples, server };
}

const CAP = 10_000;

/**
 * The alternative to an exact `total` this benchmark measures beside it: count at most CAP + 1
 * matches ("10,000+"), which stops early however many customers match (the list's own capped count).
 */
const cappedCount = (db: Kysely<DB>, q: CustomerListQuery, staffId: string) =>
  countCustomers(db, q, staffId, CAP);

/** Times one database call the API makes, outside HTTP: to show what `total` costs. */
async function timeDb(label: string, runs: number, fn: () => Promise<unknown>) {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { label, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function main() {
  const args = parse();
  // no background workers: scheduled jobs (RFM, segment refresh) would run during the timings
  const config = { ...loadConfig(), logLevel: 'silent' as const, port: 0, host: '127.0.0.1', workers: false };
  const database: Database = await connectDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  let app: FastifyInstance | undefined;
  let disposeIdentity: (() => Promise<void>) | undefined;
  try {
    await migrate(database);
    const engine = database.engine;
    const pg = engine === 'postgres';
    const minimum = args.customers ?? (pg ? 1_000_000 : 100_000);
    const counts = (
      await sql<{ customers: number; orders: number }>`
        select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders`.execute(
        database.db,
      )
    ).rows[0] ?? { customers: 0, orders: 0 };
    if (counts.customers < minimum) {
      const target = config.databaseUrl
        ? 'DATABASE_URL=... '
        : config.dataDir
          ? `DATA_DIR=${config.dataDir} `
          : '';
      console.error(
        `The ${engine} database has ${counts.customers.toLocaleString('en-US')} customers; this benchmark needs at least ` +
          `${minimum.toLocaleString('en-US')}.\nSeed it first:  ${target}npm run seed -- --customers ${minimum} --reset\n` +
          '(or pass --customers N to accept a smaller data set)',
      );
      process.exitCode = 1;
      return;
    }
    const bar = (pgBar: number) => (pg ? pgBar : 150);
    const version = (await sql<{ v: string }>`select version() as v`.execute(database.db)).rows[0]?.v ?? '';
    const loadBefore = loadavg()[0] ?? 0;
    console.log(
      `benchmark on ${engine} (${version.split(',')[0]}): ${counts.customers.toLocaleString('en-US')} customers, ` +
        `${counts.orders.toLocaleString('en-US')} orders; load average ${loadBefore.toFixed(2)}`,
    );

    const identity = await createBenchIdentity(database, config);
    disposeIdentity = identity.dispose;
    app = await buildApp({ database, config });
    const serverTimes = recordServerTimes(app);
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new Client(baseUrl, identity.token, serverTimes);

    const n = args.requests;
    const sample = await sampleWorkload(database, n);
    const cycle = <T>(items: readonly T[], count: number) =>
      Array.from({ length: count }, (_, i) => items[i % items.length] as T);
    const results: OpResult[] = [];

    // 1. first page, every sortable column in both common directions
    const sorts: [string, 'asc' | 'desc'][] = [
      ['created_at', 'desc'],
      ['last_name', 'asc'],
      ['lifetime_value', 'desc'],
      ['total_orders', 'desc'],
      ['last_order_date', 'desc'],
      ['email', 'asc'],
      ['company', 'asc'],
      ['first_name', 'asc'],
      ['average_order_value', 'desc'],
      ['updated_at', 'desc'],
      ['acquisition_date', 'asc'],
      ['customer_value', 'desc'],
    ];
    console.log('timing: first page');
    results.push(
      await timeOp(
        client,
        'list, first page',
        '50 rows + total, 12 sort orders',
        bar(50),
        cycle(sorts, n).map(([sort, order]) => `/api/crm/customers?${qs({ sort, order, limit: 50 })}`),
        args.warmup,
      ),
    );

    // 2. deep pages: follow cursors ~50 pages deep, then time the following pages
    console.log(`timing: deep pages (walking ${args.deepPages} pages per sort first)`);
    const deepSorts = sorts.slice(0, 6);
    const perSort = Math.ceil(n / deepSorts.length);
    const deepPaths: string[] = [];
    for (const [sort, order] of deepSorts) {
      let cursor: string | null = null;
      for (let page = 0; page < args.deepPages; page++) {
        const path: string = `/api/crm/customers?${qs({ sort, order, limit: 50, cursor: cursor ?? undefined })}`;
        cursor = (await client.get<ListBody>(path)).body.next_cursor;
        if (!cursor) break;
      }
      for (let page = 0; page < perSort && cursor; page++) {
        const path = `/api/crm/customers?${qs({ sort, order, limit: 50, cursor })}`;
        deepPaths.push(path);
        cursor = (await client.get<ListBody>(path)).body.next_cursor;
      }
    }
    results.push(
      await timeOp(
        client,
        `list, page ${args.deepPages + 1}+ by cursor`,
        `${deepSorts.length} sort orders`,
        bar(50),
        deepPaths,
        Math.min(args.warmup, 2),
      ),
    );

    // 3. search
    console.log('timing: search');
    const searchKinds = [...new Set(sample.searches.map((s) => s.kind))].join(', ');
    results.push(
      await timeOp(
        client,
        'search q',
        searchKinds,
        bar(100),
        cycle(sample.searches, n).map((s) => `/api/crm/customers?${qs({ q: s.q, limit: 50 })}`),
        args.warmup,
      ),
    );

    // 3b. broad terms: short fragments that match a large share of customers
    console.log('timing: broad search');
    results.push(
      await timeOp(
        client,
        'search q, broad term',
        `${broadTerms.length} terms: ${broadTerms.map((t) => `"${t}"`).join(', ')}`,
        bar(100),
        cycle(broadTerms, n).map((term) => `/api/crm/customers?${qs({ q: term, limit: 50 })}`),
        args.warmup,
      ),
    );

    // 4. three filters sorted by lifetime value
    console.log('timing: three filters');
    const stageSets = ['customer,loyal', 'loyal', 'customer,loyal,at_risk'];
    results.push(
      await timeOp(
        client,
        'status + stage + country, by LTV',
        `status=active, stage in (${stageSets.join(' / ')}), ${sample.countries.length} countries`,
        bar(100),
        Array.from(
          { length: n },
          (_, i) =>
            `/api/crm/customers?${qs({
              status: 'active',
              lifecycle_stage: stageSets[i % stageSets.length],
              country: sample.countries[i % sample.countries.length],
              sort: 'lifetime_value',
              order: 'desc',
              limit: 50,
            })}`,
        ),
        args.warmup,
      ),
    );

    // 5. profile
    console.log('timing: profile');
    results.push(
      await timeOp(
        client,
        'customer profile',
        'GET /customers/:id, random customers',
        bar(50),
        cycle(sample.ids, n).map((id) => `/api/crm/customers/${id}`),
        args.warmup,
      ),
    );

    // what `total` costs: the count and the page queries on their own, without HTTP
    console.log('timing: count vs page queries');
    const q = (params: Record<string, unknown>) => customerListQuerySchema.parse(params);
    const narrow = sample.searches.find((s) => s.kind === 'name')?.q ?? 'schmidt';
    const dbQueries: Record<string, ReturnType<typeof q>> = {
      'unfiltered, by created_at': q({}),
      'unfiltered, by last_name': q({ sort: 'last_name', order: 'asc' }),
      [`search "${narrow}"`]: q({ q: narrow }),
      'search "mar"': q({ q: 'mar' }),
      'search "gmail"': q({ q: 'gmail' }),
      [`active, customer+loyal, ${sample.countries[0] ?? 'US'}, by LTV`]: q({
        status: 'active',
        lifecycle_stage: 'customer,loyal',
        country: sample.countries[0] ?? 'US',
        sort: 'lifetime_value',
      }),
      [`active, loyal, ${sample.countries.at(-1) ?? 'DK'}, by LTV`]: q({
        status: 'active',
        lifecycle_stage: 'loyal',
        country: sample.countries.at(-1) ?? 'DK',
        sort: 'lifetime_value',
      }),
    };
    const dbRows: string[][] = [];
    for (const [label, query] of Object.entries(dbQueries)) {
      const count = await timeDb(label, 10, () => countCustomers(database.db, query, identity.staffId));
      const page = await timeDb(label, 10, () =>
        listCustomerPage(database.db, query, identity.staffId, null),
      );
      const capped = await timeDb(label, 10, () => cappedCount(database.db, query, identity.staffId));
      const total = await countCustomers(database.db, query, identity.staffId);
      dbRows.push([
        label,
        total.toLocaleString('en-US'),
        ms(page.p50),
        ms(page.p95),
        ms(count.p50),
        ms(count.p95),
        ms(capped.p95),
      ]);
    }
    if (args.explain && pg) {
      const parts: string[] = [];
      for (const [label, query] of Object.entries(dbQueries)) {
        for (const [what, call] of [
          ['page', (db: Kysely<DB>) => listCustomerPage(db, query, identity.staffId, null)],
          ['count', (db: Kysely<DB>) => countCustomers(db, query, identity.staffId)],
        ] as const) {
          for (const e of await explainCalls(database, call)) {
            parts.push(`==== ${label}: ${what}\n${e.sql}\n\n${e.plan}\n`);
          }
        }
      }
      mkdirSync(join(root, 'bench/.out'), { recursive: true });
      const file = join(root, 'bench/.out/explain-postgres.txt');
      writeFileSync(file, parts.join('\n'));
      console.log(`plans written to ${file}`);
    }
    const countTable = markdownTable(
      ['query', 'matches', 'page p50', 'page p95', 'count p50', 'count p95', `count to ${CAP + 1} p95`],
      dbRows,
    );

    // browser
    let browserRuns: BrowserRun[] | null = null;
    let browserNote = '';
    if (args.browser) {
      console.log('timing: browser, /customers to the first row');
      const build = spawnSync(process.execPath, [join(root, 'scripts/build-web-if-needed.mjs')], {
        stdio: 'inherit',
      });
      if (build.status !== 0) browserNote = 'web build failed; browser measurement skipped';
      else {
        try {
          browserRuns = await measureFirstRow({
            baseUrl,
            sessionCookie: { name: SESSION_COOKIE, value: identity.sessionSecret },
            runs: args.browserRuns,
            log: (line) => console.log(line),
          });
        } catch (error) {
          browserNote = `browser measurement failed: ${(error as Error).message.split('\n')[0]}`;
          console.error(browserNote);
        }
      }
    }

    const rows = results.map((r) => {
      const p95 = percentile(r.samples, 95);
      return [
        r.name,
        String(r.samples.length),
        ms(percentile(r.samples, 50)),
        ms(p95),
        ms(percentile(r.server, 95)),
        `≤ ${r.bar} ms`,
        p95 <= r.bar ? 'PASS' : 'FAIL',
      ];
    });
    if (browserRuns && browserRuns.length > 0) {
      const times = browserRuns.map((b) => b.firstRowMs);
      const worst = Math.max(...times);
      rows.push([
        'browser: /customers to first row',
        String(times.length),
        ms(percentile(times, 50)),
        ms(worst),
        '',
        '≤ 1000 ms',
        worst <= 1000 ? 'PASS' : 'FAIL',
      ]);
    }
    // segmentation last: it writes (and removes) millions of rows the list timings should not see
    let segments: Awaited<ReturnType<typeof benchSegments>> | null = null;
    if (args.segments) {
      segments = await benchSegments({
        database,
        deps: { database, db: database.db, config, jwt: null },
        workers: app.workers,
        staffId: identity.staffId,
        request: (path, json) => client.get(path, json),
        requests: Math.min(n, 30),
        log: (line) => console.log(line),
      });
      console.log(`\n${segments.table}\n${segments.facts.join('\n')}\n`);
    }

    const table = markdownTable(['operation', 'n', 'p50', 'p95', 'server p95', 'bar', 'result'], rows);
    const details = markdownTable(
      ['operation', 'requests'],
      results.map((r) => [r.name, r.detail]),
    );
    console.log(`\n${table}\n\n${countTable}\n`);
    if (browserNote) console.log(browserNote);

    if (args.write) {
      const file = writeReport({
        engine,
        version,
        customers: counts.customers,
        orders: counts.orders,
        machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`,
        load: `${loadBefore.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end (1-minute load average; other work shares the machine)`,
        command: `${config.databaseUrl ? 'DATABASE_URL=postgres://… ' : `DATA_DIR=${config.dataDir} `}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
        table,
        details,
        countTable,
        browserRuns,
        browserNote,
        rowSelector: ROW_SELECTOR,
        segmentTable: segments?.table ?? null,
        segmentFacts: segments?.facts ?? [],
      });
      console.log(`results written to ${file}`);
    }
  } finally {
    await app?.close().catch(() => undefined);
    await disposeIdentity?.().catch(() => undefined);
    await database.close();
  }
  // last, with the database closed: the tracking test runs the server in its own process
  if (args.tracking) await benchTracking({ seconds: 20, rate: 3000, connections: 64, write: args.write });
  // exports measure against PostgreSQL's COPY, so they need a PostgreSQL server
  if (args.exports && config.databaseUrl) await benchExports({ formats: ['csv', 'xlsx'], write: args.write });
  // ingest and the analytics bars are issue 7's, measured at 1M customers on PostgreSQL
  if (args.analytics && config.databaseUrl) {
    await benchAnalytics({ batches: 4, streams: 2, customers: 200, write: args.write });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
