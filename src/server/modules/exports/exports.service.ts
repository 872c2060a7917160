import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { exportField } from '../../../shared/export-fields.js';
import {
  type Export,
  exportContentTypes,
  type ExportList,
  type ExportPreview,
  type exportListQuerySchema,
  type exportPreviewRequestSchema,
  type exportRequestSchema,
  PDF_MAX_ROWS,
} from '../../../shared/exports.js';
import type { DB } from '../../db/schema.js';
import { actorOf, writeAudit } from '../../platform/audit.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { enqueueJob } from '../../platform/jobs.js';
import { can, type Principal } from '../../platform/principal.js';
import { type CustomerSelection, checkSelection } from '../customers/customer-selection.js';
import { downloadName, exportFilePath, removeExportFile } from './export-files.js';
import { EXPORT_JOB, liveExportRows } from './export-job.js';
import { countExportRows, describeSelection } from './export-query.js';
import { toExport } from './exports.mapper.js';
import { type ExportDbRow, expireDueExports, findExport, findExportPage } from './exports.queries.js';

type RequestInput = z.output<typeof exportRequestSchema>;
type PreviewInput = z.output<typeof exportPreviewRequestSchema>;
type ListQuery = z.output<typeof exportListQuerySchema>;

const SORT_KEY = 'created_at:desc';
const isAdmin = (p: Principal) => p.role === 'admin';

/** Personal fields the requester may not see in clear: they are written masked. */
function maskedFieldsFor(principal: Principal | null, fields: readonly string[]) {
  if (principal && can(principal, 'export:pii')) return [];
  return fields.filter((f) => exportField(f)?.pii);
}

/** What an export of this selection would hold, and what would stand in its way. */
async function assess(
  db: Kysely<DB>,
  deps: AppDeps,
  principal: Principal,
  input: {
    format: string;
    fields: readonly string[];
    selection: CustomerSelection;
    purpose: RequestInput['purpose'];
  },
) {
  await checkSelection(db, input.selection);
  const rowCount = await countExportRows(db, { ...input, staffId: principal.staffId });
  const masked = maskedFieldsFor(principal, input.fields);
  const personalInClear = input.fields.some((f) => exportField(f)?.pii) && masked.length === 0;
  const limit = deps.config.exports.approvalRows;
  return {
    rowCount,
    masked,
    approvalRequired: personalInClear && limit > 0 && rowCount > limit,
    refusal:
      input.format === 'pdf' && rowCount > PDF_MAX_ROWS
        ? `A PDF report holds at most ${PDF_MAX_ROWS.toLocaleString('en')} rows; this selection has ${rowCount.toLocaleString('en')}. Export CSV or Excel instead.`
        : null,
  };
}

export async function previewExport(
  deps: AppDeps,
  principal: Principal,
  input: PreviewInput,
): Promise<ExportPreview> {
  const fields = input.fields ?? [];
  const a = await assess(deps.db, deps, principal, { ...input, fields });
  return {
    row_count: a.rowCount,
    masked_fields: a.masked,
    approval_required: a.approvalRequired,
    refusal: a.refusal,
    selection_description: await describeSelection(deps.db, input.selection, input.purpose),
  };
}

/**
 * Starts an export: checked and counted now (a PDF over its limit is refused with a 400), then
 * queued as a job, or left pending when a second admin must approve. Audited with the
 * requester's address. `scheduleId` marks a scheduled run (its creator is the requester).
 */
export async function requestExport(
  deps: AppDeps,
  principal: Principal,
  ip: string | null,
  input: RequestInput,
  scheduleId: string | null = null,
): Promise<Export> {
  const id = await deps.db.transaction().execute(async (trx) => {
    const a = await assess(trx, deps, principal, input);
    if (a.refusal)
      throw new AppError('validation_failed', a.refusal, {
        errors: [{ field: 'format', message: a.refusal }],
      });
    const title = input.title ?? 'Customers';
    const now = new Date();
    const description = await describeSelection(trx, input.selection, input.purpose);
    const row = await trx
      .insertInto('exports')
      .values({
        format: input.format,
        state: a.approvalRequired ? 'pending_approval' : 'queued',
        fields: JSON.stringify(input.fields),
        selection: JSON.stringify(input.selection),
        selection_description: description,
        purpose: input.purpose,
        bom: input.bom,
        title,
        masked_fields: JSON.stringify(a.masked),
        row_count: a.rowCount,
        file_name: downloadName(title, now, input.format),
        requested_by: principal.staffId,
        requester_ip: ip,
        approval_required: a.approvalRequired,
        schedule_id: scheduleId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!a.approvalRequired) await enqueueExportJob(trx, row.id, principal.staffId);
    await writeAudit(trx, {
      action: 'export.requested',
      actor: actorOf(principal),
      subject: { type: 'export', id: row.id },
      ip,
      details: {
        format: input.format,
        fields: input.fields,
        masked_fields: a.masked,
        selection: input.selection,
        selection_description: description,
        purpose: input.purpose,
        row_count: a.rowCount,
        approval_required: a.approvalRequired,
        ...(scheduleId ? { schedule_id: scheduleId } : {}),
      },
    });
    return row.id;
  });
  return getExportRow(deps, id).then(withLiveProgress);
}

async function enqueueExportJob(db: Kysely<DB>, exportId: string, createdBy: string | null) {
  const jobId = await enqueueJob(db, {
    kind: EXPORT_JOB,
    payload: { export_id: exportId },
    createdBy,
    maxAttempts: 3,
  });
  await db.updateTable('exports').set({ job_id: jobId }).where('id', '=', exportId).execute();
}

async function getExportRow(deps: AppDeps, id: string) {
  const row = await findExport(deps.db, id);
  if (!row) throw notFound('Export');
  return row;
}

function withLiveProgress(row: ExportDbRow): Export {
  const live = row.state === 'running' ? liveExportRows(row.id) : undefined;
  return toExport(live === undefined ? row : { ...row, rows_written: live });
}

/** Only the requester, or an admin, may see or fetch an export; others get a 404 (no hint it exists). */
async function visibleExport(deps: AppDeps, principal: Principal, id: string) {
  const row = await getExportRow(deps, id);
  if (row.requested_by !== principal.staffId && !isAdmin(principal)) throw notFound('Export');
  return row;
}

export async function getExport(deps: AppDeps, principal: Principal, id: string): Promise<Export> {
  return withLiveProgress(await visibleExport(deps, principal, id));
}

export async function listExports(deps: AppDeps, principal: Principal, q: ListQuery): Promise<ExportList> {
  const cursor = decodeCursor(q.cursor, SORT_KEY);
  const mineOnly = q.mine === true || !isAdmin(principal);
  const rows = await findExportPage(deps.db, {
    requestedBy: mineOnly ? principal.staffId : undefined,
    state: q.state,
    limit: q.limit,
    cursor,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    data: page.map(withLiveProgress),
    next_cursor:
      rows.length > q.limit && last
        ? encodeCursor({ s: SORT_KEY, v: last.created_at.toISOString(), id: last.id })
        : null,
  };
}

/** A second admin approves (never the requester: the point is four eyes); the export is queued. */
export async function decideExport(
  deps: AppDeps,
  principal: Principal,
  ip: string | null,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<Export> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('exports')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Export');
    if (row.state !== 'pending_approval') {
      throw new AppError(
        'conflict',
        `This export is ${row.state.replace('_', ' ')}, not waiting for approval`,
        {
          current: { state: row.state },
        },
      );
    }
    if (row.requested_by === principal.staffId) {
      throw new AppError('forbidden', 'Another administrator must approve your own export');
    }
    await trx
      .updateTable('exports')
      .set({
        state: decision.approve ? 'queued' : 'rejected',
        approved_by: principal.staffId,
        decided_at: new Date(),
        rejection_reason: decision.approve ? null : decision.reason,
      })
      .where('id', '=', id)
      .execute();
    if (decision.approve) await enqueueExportJob(trx, id, row.requested_by);
    await writeAudit(trx, {
      action: decision.approve ? 'export.approved' : 'export.rejected',
      actor: actorOf(principal),
      subject: { type: 'export', id },
      ip,
      details: decision.approve ? { row_count: row.row_count } : { reason: decision.reason },
    });
  });
  return getExport(deps, principal, id);
}

/** A failed export runs again (same spec, re-counted when it runs). */
export async function retryExport(deps: AppDeps, principal: Principal, id: string): Promise<Export> {
  await visibleExport(deps, principal, id);
  await deps.db.transaction().execute(async (trx) => {
    // the state is checked in the update itself: two retries at once queue one job
    const updated = await trx
      .updateTable('exports')
      .set({ state: 'queued', error: null, rows_written: 0 })
      .where('id', '=', id)
      .where('state', '=', 'failed')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'Only a failed export can be retried');
    await enqueueExportJob(trx, id, principal.staffId);
  });
  return getExport(deps, principal, id);
}

/**
 * Cancels an export that has not started (pending or queued), or deletes a completed one's file
 * (it then reads as expired); anything else is a 409. Audited.
 */
export async function discardExport(deps: AppDeps, principal: Principal, ip: string | null, id: string) {
  const row = await visibleExport(deps, principal, id);
  const cancelling = row.state === 'pending_approval' || row.state === 'queued';
  if (!cancelling && row.state !== 'completed') {
    throw new AppError(
      'conflict',
      row.state === 'running'
        ? 'This export is running; delete it once it has finished'
        : `This export is ${row.state} and has no file to delete`,
      { current: { state: row.state } },
    );
  }
  await deps.db.transaction().execute(async (trx) => {
    // only from the state we saw: a job that started meanwhile wins, and this is a 409
    const changed = await trx
      .updateTable('exports')
      .set({
        state: cancelling ? 'cancelled' : 'expired',
        storage_key: null,
      })
      .where('id', '=', id)
      .where('state', '=', row.state)
      .returning('id')
      .executeTakeFirst();
    if (!changed) throw new AppError('conflict', 'This export changed meanwhile; reload it');
    await writeAudit(trx, {
      action: cancelling ? 'export.cancelled' : 'export.deleted',
      actor: actorOf(principal),
      subject: { type: 'export', id },
      ip,
    });
  });
  if (row.storage_key) await removeExportFile(deps.config, row.storage_key);
  return getExport(deps, principal, id);
}

/**
 * The file, for its requester or an admin: 410 once expired or deleted, 409 while not ready.
 * Every download is audited (before the first byte is sent).
 */
export async function openDownload(deps: AppDeps, principal: Principal, ip: string | null, id: string) {
  const row = await visibleExport(deps, principal, id);
  if (
    row.state === 'expired' ||
    (row.state === 'completed' && row.expires_at && row.expires_at <= new Date())
  ) {
    throw new AppError('gone', 'This export has expired and its file was deleted; run it again');
  }
  if (row.state !== 'completed' || !row.storage_key) {
    throw new AppError('conflict', `This export is ${row.state.replace('_', ' ')}; its file is not ready`, {
      current: { state: row.state },
    });
  }
  const path = exportFilePath(deps.config, row.storage_key);
  const { size } = await stat(path).catch(() => {
    throw new AppError('gone', 'The export file is no longer stored; run it again');
  });
  await writeAudit(deps.db, {
    action: 'export.downloaded',
    actor: actorOf(principal),
    subject: { type: 'export', id },
    ip,
    details: { file_name: row.file_name, bytes: size, requested_by: row.requested_by },
  });
  return {
    stream: createReadStream(path),
    size,
    fileName: row.file_name,
    contentType: exportContentTypes[row.format],
  };
}

/** Deletes the files of exports past their time (the scheduler calls it every minute). */
export async function expireExports(deps: AppDeps) {
  const expired = await expireDueExports(deps.db);
  for (const e of expired) if (e.storage_key) await removeExportFile(deps.config, e.storage_key);
  return expired.length;
}
