import type { Export } from '../../../shared/exports.js';
import type { ExportDbRow } from './exports.queries.js';

const staffRef = (id: string | null, name: string | null, email: string | null) =>
  id && email ? { id, name, email } : null;

/** Row → API shape; the download link only while the file can be fetched. */
export function toExport(row: ExportDbRow): Export {
  const downloadable = row.state === 'completed' && row.storage_key !== null;
  return {
    id: row.id,
    format: row.format,
    state: row.state,
    fields: row.fields,
    selection: row.selection,
    selection_description: row.selection_description,
    purpose: row.purpose,
    title: row.title,
    masked_fields: row.masked_fields,
    row_count: row.row_count,
    rows_written: row.rows_written,
    file_name: row.file_name,
    file_size: row.file_size === null ? null : Number(row.file_size),
    error: row.error,
    requested_by: staffRef(row.requested_by, row.requester_name, row.requester_email),
    approval_required: row.approval_required,
    approved_by: staffRef(row.approved_by, row.approver_name, row.approver_email),
    decided_at: row.decided_at?.toISOString() ?? null,
    rejection_reason: row.rejection_reason,
    schedule_id: row.schedule_id,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    completed_at: row.completed_at?.toISOString() ?? null,
    expires_at: row.expires_at?.toISOString() ?? null,
    download_url: downloadable ? `/api/crm/export/download/${row.id}` : null,
    status_url: `/api/crm/export/status/${row.id}`,
  };
}
