import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { type Kysely, sql } from 'kysely';
import { type ExportValueKind, exportField } from '../../../shared/export-fields.js';
import { PDF_MAX_ROWS } from '../../../shared/exports.js';
import type { DB } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { enqueueMail } from '../../platform/mail.js';
import type { JobHandler } from '../../platform/jobs.js';
import type { CustomerSelection } from '../customers/customer-selection.js';
import { ensureExportDir, exportPaths } from './export-files.js';
import { copyCsvExport } from './export-copy.js';
import { countExportRows, type ExportSpec, exportQuery } from './export-query.js';
import { type ExportDbRow, findExport } from './exports.queries.js';

export const EXPORT_JOB = 'exports.run';

/** Rows per FETCH: enough to amortise the round trip, small enough to keep memory flat. */
const FETCH_ROWS = 5_000;

// Rows written by exports running in this process. On the embedded engine the export's read
// transaction holds the only connection, so progress cannot be written to the row until it ends.
const liveRows = new Map<string, number>();
export const liveExportRows = (id: string) => liveRows.get(id);

type Progress = (rows: number, total: number) => void;
type Columns = { name: string; label: string; kind: ExportValueKind }[];

const pdfRefusal = (rows: number) =>
  new AppError(
    'validation_failed',
    `A PDF report holds at most ${PDF_MAX_ROWS.toLocaleString('en')} rows; this selection has ${rows.toLocaleString('en')}. Export CSV or Excel instead.`,
  );

/** One consistent, read-only view of the data for the count and the rows. */
const snapshot = (db: Kysely<DB>) =>
  db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only');

type Fetch = () => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * Runs `read` with the export's row count and a cursor over one consistent snapshot. On
 * PostgreSQL a REPEATABLE READ, READ ONLY transaction holds it (other requests use other
 * connections). The embedded database has one connection, so there the cursor is declared WITH
 * HOLD in a short transaction that materialises it at commit, and batches are fetched between
 * other requests instead of holding the database for the whole export.
 */
async function withExportCursor<T>(
  deps: AppDeps,
  exportId: string,
  spec: ExportSpec,
  read: (rowCount: number, fetch: Fetch) => Promise<T>,
): Promise<T> {
  const cursor = sql.raw(`export_${exportId.replace(/-/g, '')}`);
  const fetchFrom = (db: Kysely<DB>) => () =>
    sql<Record<string, unknown>>`fetch ${sql.raw(String(FETCH_ROWS))} from ${cursor}`.execute(db);
  if (deps.database.engine === 'postgres') {
    return snapshot(deps.db).execute(async (trx) => {
      const rowCount = await countExportRows(trx, spec);
      await sql`declare ${cursor} no scroll cursor for ${exportQuery(trx, spec)}`.execute(trx);
      return read(rowCount, fetchFrom(trx));
    });
  }
  const rowCount = await snapshot(deps.db).execute(async (trx) => {
    const n = await countExportRows(trx, spec);
    await sql`declare ${cursor} no scroll cursor with hold for ${exportQuery(trx, spec)}`.execute(trx);
    return n;
  });
  try {
    return await read(rowCount, fetchFrom(deps.db));
  } finally {
    await sql`close ${cursor}`.execute(deps.db);
  }
}

/**
 * Any format on either engine: the counted rows read through a cursor (so the file holds exactly
 * them whatever changes meanwhile) and written batch by batch through the format's writer.
 */
async function cursorExport(
  deps: AppDeps,
  e: ExportDbRow,
  spec: ExportSpec,
  columns: Columns,
  out: WriteStream,
  progress: Progress,
) {
  return withExportCursor(deps, e.id, spec, async (rowCount, fetch) => {
    if (e.format === 'pdf' && rowCount > PDF_MAX_ROWS) throw pdfRefusal(rowCount);
    // loaded per format when first needed: the spreadsheet and PDF libraries are large
    const { createExportWriter } = await import('./writers/index.js');
    const writer = createExportWriter(e.format, out, {
      columns,
      bom: e.bom,
      report: {
        title: e.title,
        filterDescription: e.selection_description,
        generatedBy: e.requester_name ?? e.requester_email ?? 'a scheduled export',
        generatedAt: new Date(),
        rowCount,
      },
    });
    progress(0, rowCount);
    const fetchBatch = () => {
      const p = fetch();
      // awaited below; this only keeps a read in flight when the writer fails from crashing the process
      p.catch(() => undefined);
      return p;
    };
    // the next batch is read while this one is written: the database and the writer work at once
    let written = 0;
    let next = fetchBatch();
    for (;;) {
      const batch = await next;
      if (batch.rows.length === 0) break;
      next = fetchBatch();
      await writer.write(batch.rows.map((r) => Object.values(r)));
      written += batch.rows.length;
      progress(written, rowCount);
    }
    await writer.finish();
    return { rowCount, written };
  });
}

/**
 * Writes the file to `<id>.part` and renames it into place only when complete, so a retry after
 * a crash or restart starts over and a half-written file is never offered. CSV on PostgreSQL
 * goes through COPY (export-copy.ts: the same bytes, at the database's speed).
 */
async function writeExportFile(deps: AppDeps, e: ExportDbRow, progress: Progress) {
  const { config } = deps;
  await ensureExportDir(config);
  const paths = exportPaths(config, e.id, e.format);
  const columns = e.fields.map((name) => {
    const f = exportField(name);
    if (!f) throw new AppError('validation_failed', `The field ${name} no longer exists`);
    return { name, label: f.label, kind: f.kind };
  });
  const spec: ExportSpec = {
    fields: e.fields,
    maskedFields: new Set(e.masked_fields),
    selection: e.selection as unknown as CustomerSelection,
    purpose: e.purpose,
    staffId: e.requested_by ?? '00000000-0000-0000-0000-000000000000',
  };
  const out = createWriteStream(paths.part, { flags: 'w' });
  let result: { rowCount: number; written: number };
  try {
    if (deps.database.engine === 'postgres' && deps.database.pool && e.format === 'csv') {
      const client = await deps.database.pool.connect();
      let total = 0;
      try {
        result = await copyCsvExport(client, deps.db, spec, out, {
          bom: e.bom,
          onStart: (n) => {
            total = n;
            progress(0, n);
          },
          onProgress: (n) => progress(n, total),
        });
      } finally {
        client.release();
      }
    } else {
      result = await cursorExport(deps, e, spec, columns, out, progress);
    }
    // writers end the stream themselves or leave it to us; either way wait until it is on disk
    if (!out.writableEnded) out.end();
    if (!out.writableFinished) await once(out, 'finish');
  } catch (err) {
    out.destroy();
    await rm(paths.part, { force: true });
    throw err;
  }
  if (result.written !== result.rowCount) {
    throw new Error(`export ${e.id}: wrote ${result.written} rows of ${result.rowCount}`);
  }
  await rename(paths.part, paths.final);
  const { size } = await stat(paths.final);
  return { key: paths.key, size, rows: result.written };
}

/** The job: runs one export (skipping one cancelled meanwhile), records the outcome, mails a schedule's recipients. */
export const exportJob: JobHandler = async ({ deps, job, attempt, maxAttempts }) => {
  const id = String(job.payload.export_id);
  const e = await findExport(deps.db, id);
  if (!e || (e.state !== 'queued' && e.state !== 'running')) return { skipped: e?.state ?? 'missing' };
  await deps.db
    .updateTable('exports')
    .set({ state: 'running', started_at: sql`coalesce(started_at, now())`, error: null, rows_written: 0 })
    .where('id', '=', id)
    .execute();
  liveRows.set(id, 0);
  try {
    let reported = 0;
    const file = await writeExportFile(deps, e, (n, total) => {
      liveRows.set(id, n);
      // on PostgreSQL other processes follow progress through the row (another connection),
      // written every 50,000 rows; a failed progress write only delays what they see
      if (deps.database.engine === 'postgres' && (n === 0 || n - reported >= 50_000)) {
        reported = n;
        deps.db
          .updateTable('exports')
          .set({ rows_written: n, row_count: total })
          .where('id', '=', id)
          .execute()
          .catch(() => undefined);
      }
    });
    await completeExport(deps, e, file);
    return { export_id: id, rows: file.rows, size: file.size };
  } catch (err) {
    // a user-actionable refusal fails at once; anything else fails the export only on the last try
    if (err instanceof AppError || attempt >= maxAttempts) {
      const message = err instanceof AppError ? err.message : 'The export failed; it can be retried';
      await deps.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('exports')
          .set({ state: 'failed', error: message })
          .where('id', '=', id)
          .execute();
        await writeAudit(trx, {
          action: 'export.failed',
          actor: null,
          subject: { type: 'export', id },
          details: { error: message },
        });
      });
    } else {
      await deps.db.updateTable('exports').set({ state: 'queued' }).where('id', '=', id).execute();
    }
    throw err;
  } finally {
    liveRows.delete(id);
  }
};

async function completeExport(
  deps: AppDeps,
  e: ExportDbRow,
  file: { key: string; size: number; rows: number },
) {
  const ttl = deps.config.exports.ttlHours;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('exports')
      .set({
        state: 'completed',
        storage_key: file.key,
        file_size: file.size,
        rows_written: file.rows,
        row_count: file.rows,
        completed_at: sql`now()`,
        expires_at: sql`now() + make_interval(secs => ${ttl * 3600})`,
      })
      .where('id', '=', e.id)
      .execute();
    await writeAudit(trx, {
      action: 'export.completed',
      actor: null,
      subject: { type: 'export', id: e.id },
      details: { rows: file.rows, bytes: file.size, format: e.format },
    });
    if (e.schedule_id) await mailScheduleRecipients(deps, trx, e);
  });
}

/** A scheduled run's recipients get the link (never the file: it may hold personal data). */
async function mailScheduleRecipients(deps: AppDeps, trx: Kysely<DB>, e: ExportDbRow) {
  const schedule = await trx
    .selectFrom('export_schedules')
    .select(['name', 'recipient_ids'])
    .where('id', '=', e.schedule_id!)
    .executeTakeFirst();
  if (!schedule || schedule.recipient_ids.length === 0) return;
  const staff = await trx
    .selectFrom('staff_users')
    .select(['id', 'email'])
    .where('id', 'in', schedule.recipient_ids)
    .where('disabled', '=', false)
    .execute();
  const base = deps.config.publicUrl ?? `http://${deps.config.host}:${deps.config.port}`;
  for (const s of staff) {
    await enqueueMail(
      trx,
      {
        to: s.email,
        subject: `Export ready: ${schedule.name}`,
        text: `The scheduled export “${schedule.name}” is ready (${e.format.toUpperCase()}).\n\nOpen it from the exports page: ${base}/exports?highlight=${e.id}\n\nThe file is available until it expires; sign in to download it.`,
      },
      `export:${e.id}:${s.id}`,
    );
  }
}
