import { z } from 'zod';
import { bulkSelectionSchema } from './bulk.js';
import { exportFieldNames } from './export-fields.js';

/**
 * Customer exports: a format, columns from the export catalogue and a selection (the same
 * selections as bulk actions, or everything), run in the background, downloaded when ready.
 */

export const exportFormats = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** What a finished file is served as. */
export const exportContentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * pending_approval (a large personal-data export waits for a second admin) → queued → running →
 * completed (downloadable until `expires_at`) → expired; or failed (retryable), rejected,
 * cancelled.
 */
export const exportStates = [
  'pending_approval',
  'queued',
  'running',
  'completed',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type ExportState = (typeof exportStates)[number];

/** `internal`: operations and reporting. `marketing`: leaves out customers who refused data sharing. */
export const exportPurposes = ['internal', 'marketing'] as const;
export type ExportPurpose = (typeof exportPurposes)[number];

/** PDF is a report, not a data dump: larger selections are refused before they start. */
export const PDF_MAX_ROWS = 5_000;

/** Which customers: hand-picked ids, a criteria tree, a segment, the list's filters, or everyone. */
export const exportSelectionSchema = z.union([
  ...bulkSelectionSchema.options,
  z.object({ all: z.literal(true) }).strict(),
]);
export type ExportSelection = z.input<typeof exportSelectionSchema>;

const fieldList = z
  .array(z.enum(exportFieldNames, { message: 'Unknown export field' }))
  .min(1, 'Choose at least one field')
  .refine((f) => new Set(f).size === f.length, 'A field is listed twice');

const exportSpec = {
  format: z.enum(exportFormats),
  fields: fieldList,
  selection: exportSelectionSchema,
  purpose: z.enum(exportPurposes).default('internal'),
  /** CSV only: start with a byte-order mark so Excel reads UTF-8. */
  bom: z.boolean().default(false),
  /** A title for the PDF report and the file name (default: "Customers"). */
  title: z.string().trim().min(1).max(120).optional(),
};

/** POST /api/crm/export/customers. */
export const exportRequestSchema = z.object(exportSpec).strict();
export type ExportRequest = z.input<typeof exportRequestSchema>;

/** POST /api/crm/export/preview: what an export would hold, before starting it. */
export const exportPreviewRequestSchema = z
  .object({ ...exportSpec, format: exportSpec.format.default('csv'), fields: fieldList.optional() })
  .strict();
export type ExportPreviewRequest = z.input<typeof exportPreviewRequestSchema>;

export const exportPreviewSchema = z.object({
  row_count: z.number().int(),
  /** Personal fields that will be masked because the requester lacks `export:pii`. */
  masked_fields: z.array(z.string()),
  /** A second admin must approve before it runs. */
  approval_required: z.boolean(),
  /** Why it cannot run as asked (PDF over its row limit), or null. */
  refusal: z.string().nullable(),
  /** The selection in words, as the file and the audit log describe it. */
  selection_description: z.string(),
});
export type ExportPreview = z.infer<typeof exportPreviewSchema>;

const staffRef = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

export const exportSchema = z.object({
  id: z.string(),
  format: z.enum(exportFormats),
  state: z.enum(exportStates),
  fields: z.array(z.string()),
  selection: z.record(z.string(), z.unknown()),
  selection_description: z.string(),
  purpose: z.enum(exportPurposes),
  title: z.string(),
  masked_fields: z.array(z.string()),
  /** Rows the selection held when the export started (the file holds exactly these). */
  row_count: z.number().int().nullable(),
  rows_written: z.number().int(),
  file_name: z.string(),
  file_size: z.number().int().nullable(),
  error: z.string().nullable(),
  requested_by: staffRef.nullable(),
  approval_required: z.boolean(),
  approved_by: staffRef.nullable(),
  decided_at: z.string().nullable(),
  rejection_reason: z.string().nullable(),
  schedule_id: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  /** Set while the file can be downloaded (completed, not expired). */
  download_url: z.string().nullable(),
  status_url: z.string(),
});
export type Export = z.infer<typeof exportSchema>;

export const exportListQuerySchema = z.object({
  /** Admins see everyone's exports; `mine=true` narrows to their own. */
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  state: z.enum(exportStates).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
export type ExportListQuery = z.input<typeof exportListQuerySchema>;

export const exportListSchema = z.object({ data: z.array(exportSchema), next_cursor: z.string().nullable() });
export type ExportList = z.infer<typeof exportListSchema>;

export const exportRejectSchema = z.object({ reason: z.string().trim().min(1, 'Say why').max(500) }).strict();

// ---------------------------------------------------------------- schedules

const scheduleFields = {
  name: z.string().trim().min(1, 'Name the schedule').max(120),
  /** Five-field cron, e.g. `0 7 * * 1` (Mondays 07:00). */
  cron: z.string().trim().min(9).max(120),
  /** IANA time zone the cron runs in, e.g. Europe/Berlin. */
  timezone: z.string().trim().min(1).max(64).default('UTC'),
  format: z.enum(exportFormats),
  fields: fieldList,
  selection: exportSelectionSchema,
  purpose: z.enum(exportPurposes).default('internal'),
  bom: z.boolean().default(false),
  /** Staff who get an email with the download link when a run completes. */
  recipient_ids: z.array(z.uuid()).max(20).default([]),
  enabled: z.boolean().default(true),
};

export const exportScheduleCreateSchema = z.object(scheduleFields).strict();
export type ExportScheduleCreate = z.input<typeof exportScheduleCreateSchema>;

export const exportScheduleUpdateSchema = z
  .object({
    name: scheduleFields.name.optional(),
    cron: scheduleFields.cron.optional(),
    timezone: scheduleFields.timezone.unwrap().optional(),
    format: scheduleFields.format.optional(),
    fields: fieldList.optional(),
    selection: exportSelectionSchema.optional(),
    purpose: z.enum(exportPurposes).optional(),
    bom: z.boolean().optional(),
    recipient_ids: z.array(z.uuid()).max(20).optional(),
    enabled: z.boolean().optional(),
    version: z.number().int().min(1),
  })
  .strict();
export type ExportScheduleUpdate = z.input<typeof exportScheduleUpdateSchema>;

export const exportScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  cron: z.string(),
  /** The cron in words, e.g. "At 07:00, only on Monday". */
  cron_description: z.string(),
  timezone: z.string(),
  format: z.enum(exportFormats),
  fields: z.array(z.string()),
  selection: z.record(z.string(), z.unknown()),
  selection_description: z.string(),
  purpose: z.enum(exportPurposes),
  bom: z.boolean(),
  recipients: z.array(staffRef),
  enabled: z.boolean(),
  next_run_at: z.string().nullable(),
  last_run_at: z.string().nullable(),
  last_export_id: z.string().nullable(),
  created_by: staffRef.nullable(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ExportSchedule = z.infer<typeof exportScheduleSchema>;

export const exportScheduleListSchema = z.object({ data: z.array(exportScheduleSchema) });
export type ExportScheduleList = z.infer<typeof exportScheduleListSchema>;
