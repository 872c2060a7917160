/**
 * Customer exports at scale (issue 6's bars): a CSV export of every customer against
 * PostgreSQL's own `COPY (same query) TO STDOUT`, and an XLSX export, each through a real server
 * process whose peak memory (VmHWM) is read from /proc.
 *
 *   npm run bench:exports -- [--formats csv,xlsx] [--no-write]
 *
 * Runs against the CURRENT database (DATABASE_URL; PostgreSQL only: COPY is the yardstick). It
 * uses a temporary administrator and a temporary export folder, and removes both afterwards.
 */
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { defaultExportFields } from '../src/shared/export-fields.js';
import type { Export, ExportFormat } from '../src/shared/exports.js';
import { loadConfig } from '../src/server/config.js';
import { connectDatabase } from '../src/server/db/connect.js';
import type { DB } from '../src/server/db/schema.js';
import { migrate } from '../src/server/db/migrate.js';
import { exportQuery } from '../src/server/modules/exports/export-query.js';
import { createBenchIdentity } from './lib/identity.js';
import { freePort, startServer, stopServer } from './lib/server.js';
import { markdownTable } from './lib/stats.js';

const docPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const MB = 1024 * 1024;

/** Peak and current resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

async function copyBaseline(url: string, text: string, file: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await pipeline(
      client.query(copyTo(`COPY (${text}) TO STDOUT WITH (FORMAT csv, HEADER)`)),
      createWriteStream(file),
    );
    return { seconds: (performance.now() - started) / 1000, bytes: statSync(file).size };
  } finally {
    await client.end();
  }
}

interface ExportRun {
  format: ExportFormat;
  seconds: number;
  rows: number;
  bytes: number;
  peakMb: number;
  idleMb: number;
}

async function waitForQuietQueue(db: Kysely<DB>) {
  for (;;) {
    const busy = await sql<{ n: string }>`select count(*) as n from jobs
      where status = 'running' or (status = 'queued' and run_at <= now())`.execute(db);
    if (Number(busy.rows[0]!.n) === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runExport(
  db: Kysely<DB>,
  format: ExportFormat,
  token: string,
  exportDir: string,
): Promise<ExportRun> {
  const port = await freePort();
  const server = await startServer(port, {
    WORKERS: 'true',
    EXPORT_DIR: exportDir,
    EXPORT_APPROVAL_ROWS: '0',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // the server's own scheduled work (nightly scores, segment refresh) runs first on a fresh
    // start; the export is timed on a quiet server, as a user would meet it most of the time
    await waitForQuietQueue(db);
    // reset the peak (VmHWM) so it is the export's, not the start-up jobs' (Linux: clear_refs 5)
    writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
    const idle = memoryOf(server.pid!).now;
    const started = performance.now();
    const res = await fetch(`${base}/api/crm/export/customers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ format, fields: defaultExportFields, selection: { all: true } }),
    });
    if (res.status !== 202) throw new Error(`export refused: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as Export;
    let last: Export | undefined;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      last = (await (await fetch(`${base}/api/crm/export/status/${id}`, { headers })).json()) as Export;
      if (last.state === 'completed' || last.state === 'failed') break;
    }
    const seconds = (performance.now() - started) / 1000;
    if (last.state !== 'completed') throw new Error(`export failed: ${last.error}`);
    return {
      format,
      seconds,
      rows: last.rows_written,
      bytes: last.file_size ?? 0,
      peakMb: memoryOf(server.pid!).peak / MB,
      idleMb: idle / MB,
    };
  } finally {
    await stopServer(server);
  }
}

export async function benchExports(opts: { formats: ExportFormat[]; write: boolean }) {
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new Error('bench:exports measures against PostgreSQL COPY: set DATABASE_URL');
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, poolSize: 2 });
  await migrate(database);
  const identity = await createBenchIdentity(database, config);
  const dir = mkdtempSync(join(tmpdir(), 'crm-bench-exports-'));
  const { formats } = opts;
  try {
    const customers = Number(
      (await sql<{ n: string }>`select count(*) as n from customers`.execute(database.db)).rows[0]!.n,
    );
    // the very statement the export job reads through its cursor
    const compiled = exportQuery(database.db, {
      fields: defaultExportFields,
      maskedFields: new Set(),
      selection: { all: true },
      purpose: 'internal',
      staffId: identity.staffId,
    }).compile();
    if (compiled.parameters.length > 0)
      throw new Error('the export query of everyone should have no parameters');
    console.log(`exports: COPY of ${customers.toLocaleString('en-US')} customers`);
    const copy = await copyBaseline(config.databaseUrl, compiled.sql, join(dir, 'copy.csv'));
    rmSync(join(dir, 'copy.csv'));
    const runs: ExportRun[] = [];
    for (const format of formats) {
      console.log(`exports: ${format} through the server`);
      runs.push(await runExport(database.db, format, identity.token, dir));
    }

    const rows = [
      [
        'COPY … TO STDOUT (csv)',
        customers.toLocaleString('en-US'),
        `${copy.seconds.toFixed(1)} s`,
        `${(copy.bytes / MB).toFixed(0)} MB`,
        '–',
      ],
      ...runs.map((r) => [
        `export ${r.format}`,
        r.rows.toLocaleString('en-US'),
        `${r.seconds.toFixed(1)} s`,
        `${(r.bytes / MB).toFixed(0)} MB`,
        `${r.peakMb.toFixed(0)} MB (idle ${r.idleMb.toFixed(0)} MB)`,
      ]),
    ];
    const table = markdownTable(['run', 'rows', 'time', 'file', 'server peak RSS'], rows);
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const csv = runs.find((r) => r.format === 'csv');
    const xlsx = runs.find((r) => r.format === 'xlsx');
    const facts = [
      ...(csv
        ? [
            `- CSV within 3× COPY: ${pass(csv.seconds <= 3 * copy.seconds)} (${(csv.seconds / copy.seconds).toFixed(2)}×)`,
            `- CSV server memory ≤ 250 MB: ${pass(csv.peakMb <= 250)} (${csv.peakMb.toFixed(0)} MB peak)`,
          ]
        : []),
      ...(xlsx
        ? [
            `- XLSX ≤ 60 s: ${pass(xlsx.seconds <= 60)} (${xlsx.seconds.toFixed(1)} s)`,
            `- XLSX server memory ≤ 600 MB: ${pass(xlsx.peakMb <= 600)} (${xlsx.peakMb.toFixed(0)} MB peak)`,
          ]
        : []),
      `- every customer exported: ${pass(runs.every((r) => r.rows === customers))}`,
    ];
    console.log(`\n${table}\n\n${facts.join('\n')}\n`);
    if (opts.write) {
      const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
      const section = [
        '### Customer exports (PostgreSQL)',
        '',
        `- date: ${date} UTC`,
        `- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; load ${(loadavg()[0] ?? 0).toFixed(2)} at end`,
        `- command: \`DATABASE_URL=postgres://… npm run bench:exports${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
        `- fields: ${defaultExportFields.join(', ')}; selection: everyone; time from the request to \`completed\` (polled every 200 ms); memory: the server process's VmHWM`,
        '',
        table,
        '',
        ...facts,
      ].join('\n');
      const marker = 'results:exports-postgres';
      const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
      const start = `<!-- ${marker}:start -->`;
      const end = `<!-- ${marker}:end -->`;
      const next = doc.includes(start)
        ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${section}\n${end}`)
        : `${doc.trimEnd()}\n\n${start}\n${section}\n${end}\n`;
      writeFileSync(docPath, next);
      console.log(`results written to ${docPath}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await identity.dispose();
    await database.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      formats: { type: 'string', default: 'csv,xlsx' },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  });
  benchExports({ formats: values.formats.split(',') as ExportFormat[], write: !values['no-write'] }).catch(
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
