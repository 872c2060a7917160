import { z } from 'zod';

/** What the audit log records; the log is append-only (the database refuses updates and deletes). */
export const auditActions = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'staff.created',
  'staff.role_changed',
  'staff.disabled',
  'staff.enabled',
  'export.requested',
  'export.approved',
  'export.rejected',
  'export.completed',
  'export.failed',
  'export.downloaded',
  'export.cancelled',
  'export.deleted',
  'export_schedule.created',
  'export_schedule.updated',
  'export_schedule.deleted',
  'privacy.data_export',
  'privacy.erasure',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  action: z.enum(auditActions),
  /** Who did it (null: the system, e.g. a scheduled run). */
  actor: z
    .object({ id: z.string().nullable(), email: z.string().nullable(), name: z.string().nullable() })
    .nullable(),
  /** What it was done to, e.g. `export` and its id, `customer` and its id. */
  subject_type: z.string().nullable(),
  subject_id: z.string().nullable(),
  /** The requester's address (as the server saw it, behind TRUST_PROXY the client's). */
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const csvActions = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(auditActions, { message: 'Unknown audit action' })));

export const auditQuerySchema = z.object({
  /** One or more actions, comma-separated. */
  action: csvActions.optional(),
  actor_id: z.uuid().optional(),
  subject_type: z.string().trim().max(50).optional(),
  subject_id: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export const auditListSchema = z.object({
  data: z.array(auditEntrySchema),
  next_cursor: z.string().nullable(),
});
export type AuditList = z.infer<typeof auditListSchema>;
