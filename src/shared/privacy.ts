import { z } from 'zod';

/** The word an administrator types to confirm an erasure, which cannot be undone. */
export const ERASE_CONFIRMATION = 'ERASE';

/** POST /api/crm/customers/:id/erase. */
export const eraseRequestSchema = z
  .object({
    confirm: z.literal(ERASE_CONFIRMATION, {
      message: `Type ${ERASE_CONFIRMATION} to confirm; erasure cannot be undone`,
    }),
    /** Why (a data-subject request reference, say); kept in the audit log. */
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type EraseRequest = z.input<typeof eraseRequestSchema>;

export const eraseResultSchema = z.object({
  customer_id: z.string(),
  erased_at: z.string(),
  /** What was anonymised or removed, per kind of record. */
  counts: z.record(z.string(), z.number().int()),
});
export type EraseResult = z.infer<typeof eraseResultSchema>;

/**
 * GET /api/crm/customers/:id/data-export: everything held about one person, by kind of record.
 * Free-form per section (the sections mirror the tables) so nothing is left out by a schema.
 */
export const dataSubjectExportSchema = z.object({
  generated_at: z.string(),
  customer: z.record(z.string(), z.unknown()),
  sections: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});
export type DataSubjectExport = z.infer<typeof dataSubjectExportSchema>;
