/**
 * Email tracking endpoints under load (issue 5's bar): the open pixel and click redirects of a
 * real server process, driven by autocannon from this process, then a count of what was stored.
 *
 *   npm run bench:tracking -- [--seconds 20] [--rate 3000] [--connections 64] [--no-write]
 *
 * Runs against the CURRENT database (DATABASE_URL, else DATA_DIR), like `npm run bench`, which
 * also runs it at its end. It adds 400 emails (one tracked link each) to existing customers,
 * or to customers it creates in an empty database, and removes everything it added afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.js';
import { connectDatabase, type Database } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { freePort, startServer, stopServer } from './lib/server.js';
import { markdownTable } from './lib/stats.js';

const docPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const EMAILS = 400;
const BENCH_DOMAIN = 'tracking-bench.invalid';
const HUMAN_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';

export interface TrackingOptions {
  seconds: number;
  rate: number;
  connections: number;
  write: boolean;
}

const token = () => randomBytes(24).toString('base64url');

/** Emails already sent a day ago, each with one tracked link, on existing (or new) customers. */
async function addBenchEmails(database: Database) {
  const db = database.db;
  let customers = await db
    .selectFrom('customers')
    .select(['id', 'email'])
    .where('email', 'is not', null)
    .limit(EMAILS)
    .execute();
  const created: string[] = [];
  if (customers.length < EMAILS) {
    const rows = Array.from({ length: EMAILS }, (_, i) => ({
      first_name: 'Bench',
      last_name: `Reader ${i}`,
      email: `reader${i}@${BENCH_DOMAIN}`,
    }));
    customers = await db.insertInto('customers').values(rows).returning(['id', 'email']).execute();
    created.push(...customers.map((c) => c.id));
  }
  const emails = customers.map((c) => {
    const id = randomUUID();
    return {
      id,
      customer_id: c.id,
      thread_id: id,
      direction: 'outbound' as const,
      email_address: c.email ?? `reader@${BENCH_DOMAIN}`,
      from_address: `crm@${BENCH_DOMAIN}`,
      subject: 'Tracking bench',
      body_text: 'bench',
      body_html: '<p><a href="https://shop.example/bench">bench</a></p>',
      message_id: `${id}@${BENCH_DOMAIN}`,
      status: 'sent' as const,
      transport: 'smtp' as const,
      tracking_token: token(),
      sent_at: new Date(Date.now() - 24 * 3600_000),
    };
  });
  await db.insertInto('emails').values(emails).execute();
  const links = emails.map((e) => ({
    token: token(),
    email_id: e.id,
    position: 0,
    url: `https://shop.example/p/${e.id}`,
  }));
  await db.insertInto('email_links').values(links).execute();
  return {
    emailIds: emails.map((e) => e.id),
    createdCustomers: created,
    pixels: emails.map((e) => `/t/o/${e.tracking_token}.gif`),
    clicks: links.map((l) => `/t/c/${l.token}`),
  };
}

async function removeBenchEmails(database: Database, emailIds: string[], createdCustomers: string[]) {
  const db = database.db;
  await sql`delete from customer_events where kind like 'email_%' and data ->> 'email_id' in (${sql.join(emailIds)})`.execute(
    db,
  );
  await db.deleteFrom('emails').where('id', 'in', emailIds).execute();
  if (createdCustomers.length > 0)
    await db.deleteFrom('customers').where('id', 'in', createdCustomers).execute();
}

/** The real server in its own process (as in production), without workers, quiet. */
interface Run {
  label: string;
  answered: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Open loop at a steady rate: a few requests every 5 ms, whatever the answers do, each timed
 * from when it was due (so a stall shows in the latency instead of slowing the load: no
 * coordinated omission). Waits for every answer, so the count of answers is exact.
 */
async function paced(url: string, paths: string[], rate: number, seconds: number): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const { hostname, port } = new URL(url);
  const latencies: number[] = [];
  let answered = 0;
  let failed = 0;
  let next = 0;
  const total = rate * seconds;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const fire = (due: number) =>
    new Promise<void>((resolve) => {
      const path = paths[next++ % paths.length]!;
      const req = request({ agent, hostname, port, path, headers: { 'user-agent': HUMAN_AGENT } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          if (res.statusCode === 200 || res.statusCode === 302) answered += 1;
          else failed += 1;
          resolve();
        });
      });
      req.on('error', () => {
        failed += 1;
        resolve();
      });
      req.end();
    });
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - started) / 1000) * rate));
    for (; sent < due; sent += 1) pending.push(fire(started + (sent / rate) * 1000));
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    label: `steady ${rate.toLocaleString('en-US')}/s`,
    answered,
    failed,
    seconds: elapsed,
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
  };
}

/** Closed loop, as fast as it goes: autocannon with a fixed number of requests (exact counts). */
async function flatOut(
  url: string,
  paths: string[],
  amount: number,
  connections: number,
  label: string,
): Promise<Run> {
  const r = await autocannon({
    url,
    connections,
    amount,
    headers: { 'user-agent': HUMAN_AGENT },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  return {
    label,
    answered: r['2xx'] + r['3xx'],
    failed: r.errors + r.timeouts + r['4xx'] + r['5xx'],
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}

export async function benchTracking(opts: TrackingOptions) {
  const config = loadConfig();
  let database = await connectDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  await migrate(database);
  const engine = database.engine;
  const bench = await addBenchEmails(database);
  // PGlite has one owner at a time: the server process takes the database while it runs
  await database.close();

  const runs: Run[] = [];
  let stored = 0;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // pixels and clicks interleaved: every connection opens and clicks different emails in turn
  const paths = bench.pixels.flatMap((p, i) => [p, bench.clicks[(i * 7) % bench.clicks.length]!]);
  try {
    const server = await startServer(port);
    try {
      console.log('tracking: warm-up');
      runs.push(await flatOut(url, paths, 10_000, 16, 'warm-up'));
      console.log(`tracking: steady ${opts.rate} requests/s for ${opts.seconds} s`);
      runs.push(await paced(url, paths, opts.rate, opts.seconds));
      console.log(`tracking: as fast as it goes (${opts.connections} connections)`);
      runs.push(
        await flatOut(
          url,
          paths,
          opts.rate * opts.seconds,
          opts.connections,
          `flat out, ${opts.connections} connections`,
        ),
      );
    } finally {
      await stopServer(server);
    }
  } finally {
    database = await connectDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: 2,
    });
    stored = (
      await sql<{
        n: number;
      }>`select count(*)::int as n from email_events where email_id in (${sql.join(bench.emailIds)})`.execute(
        database.db,
      )
    ).rows[0]!.n;
    await removeBenchEmails(database, bench.emailIds, bench.createdCustomers);
    await database.close();
  }

  const acknowledged = runs.reduce((n, r) => n + r.answered, 0);
  const steady = runs[1]!;
  const open = runs[2]!;
  const rate = (r: Run) => Math.round(r.answered / r.seconds);
  const rows = runs
    .slice(1)
    .map((r) => [
      r.label,
      r.answered.toLocaleString('en-US'),
      `${rate(r).toLocaleString('en-US')}/s`,
      `${r.p50} ms`,
      `${r.p99} ms`,
      String(r.failed),
    ]);
  const table = markdownTable(['run', 'answered', 'throughput', 'p50', 'p99', 'errors'], rows);
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const throughputOk = rate(steady) >= Math.min(3000, opts.rate) * 0.98;
  const facts = [
    `- sustained ≥ 3,000 requests/s: ${pass(throughputOk && opts.rate >= 3000)} (${rate(steady).toLocaleString('en-US')}/s steady; ${rate(open).toLocaleString('en-US')}/s flat out)`,
    `- p99 ≤ 25 ms at ${opts.rate.toLocaleString('en-US')} requests/s: ${pass(steady.p99 <= 25)} (${steady.p99} ms, timed from when each request was due)`,
    `- no errors: ${pass(runs.every((r) => r.failed === 0))}`,
    `- every event stored exactly once: ${pass(stored === acknowledged)} (${acknowledged.toLocaleString('en-US')} answered, ${stored.toLocaleString('en-US')} events stored, warm-up included)`,
  ];
  console.log(`\n${table}\n\n${facts.join('\n')}\n`);

  if (opts.write) {
    const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
    const section = [
      `### Tracking endpoints (${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'})`,
      '',
      `- date: ${date} UTC`,
      `- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; load ${(loadavg()[0] ?? 0).toFixed(2)} at end`,
      `- command: \`${config.databaseUrl ? 'DATABASE_URL=postgres://… ' : `DATA_DIR=${config.dataDir} `}npm run bench:tracking${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
      `- load: ${EMAILS} emails, pixel and click requests interleaved; the load generator (steady: node:http, open loop; flat out: autocannon) in the bench process, the server in its own, both on this machine`,
      '',
      table,
      '',
      ...facts,
    ].join('\n');
    const marker = `results:tracking-${engine}`;
    const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
    const start = `<!-- ${marker}:start -->`;
    const end = `<!-- ${marker}:end -->`;
    const next = doc.includes(start)
      ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${section}\n${end}`)
      : `${doc.trimEnd()}\n\n${start}\n${section}\n${end}\n`;
    writeFileSync(docPath, next);
    console.log(`results written to ${docPath}`);
  }
  return { pass: throughputOk && steady.p99 <= 25 && stored === acknowledged };
}

function parse(): TrackingOptions {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      rate: { type: 'string', default: '3000' },
      connections: { type: 'string', default: '64' },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  });
  return {
    seconds: Math.max(1, Number(values.seconds)),
    rate: Math.max(1, Number(values.rate)),
    connections: Math.max(1, Number(values.connections)),
    write: !values['no-write'],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchTracking(parse()).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
