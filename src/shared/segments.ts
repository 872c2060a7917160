import { z } from 'zod';
import { criteriaSchema } from './criteria/api.js';
import { customerRowSchema } from './customers.js';
import { lifecycleStages } from './enums.js';

export const segmentNameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(100, 'Name must be at most 100 characters');

const descriptionSchema = z
  .string()
  .trim()
  .max(1000, 'Description must be at most 1000 characters')
  .nullish()
  .transform((d) => (d ? d : null));

const segmentFields = {
  name: segmentNameSchema,
  description: descriptionSchema.optional(),
  auto_update: z.boolean().default(false),
  /** Required when `auto_update`; a manual segment may keep one for reference. */
  criteria: criteriaSchema.optional(),
};

const needsCriteria = (s: { auto_update: boolean; criteria?: unknown }) =>
  !s.auto_update || s.criteria != null;
const criteriaRequired = { message: 'Automatic segments need criteria', path: ['criteria'] };

/** POST /api/crm/segments. */
export const segmentCreateSchema = z.object(segmentFields).refine(needsCriteria, criteriaRequired);
export type SegmentCreate = z.input<typeof segmentCreateSchema>;

/** PUT /api/crm/segments/:id: the whole segment again, with the version it was read at. */
export const segmentUpdateSchema = z
  .object({ ...segmentFields, version: z.number().int().positive() })
  .refine(needsCriteria, criteriaRequired);
export type SegmentUpdate = z.input<typeof segmentUpdateSchema>;

export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  criteria: z.unknown().nullable(),
  auto_update: z.boolean(),
  customer_count: z.number().int(),
  /**
   * Membership is being computed in the background (a large automatic segment just created or
   * changed): `customer_count` is not final until this turns false.
   */
  building: z.boolean(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Segment = z.infer<typeof segmentSchema>;

/** An automatic segment matching more customers than this is built in the background. */
export const SEGMENT_INLINE_BUILD_LIMIT = 20_000;

export const segmentListSchema = z.object({ data: z.array(segmentSchema) });
export type SegmentList = z.infer<typeof segmentListSchema>;

/** The most customers a preview returns as its sample. */
export const SEGMENT_SAMPLE_SIZE = 10;

/** POST /api/crm/segments/preview. */
export const segmentPreviewBodySchema = z.object({ criteria: criteriaSchema });
export const segmentPreviewSchema = z.object({
  /** Matches: exact, or CUSTOMER_COUNT_CAP when `count_exact` is false. */
  count: z.number().int(),
  count_exact: z.boolean(),
  sample: z.array(customerRowSchema).max(SEGMENT_SAMPLE_SIZE),
});
export type SegmentPreview = z.infer<typeof segmentPreviewSchema>;

/** POST/DELETE /api/crm/segments/:id/members (manual segments only). */
export const segmentMembersBodySchema = z.object({
  customer_ids: z.array(z.uuid('Customer ids are UUIDs')).min(1).max(1000),
});
export type SegmentMembersBody = z.input<typeof segmentMembersBodySchema>;

/** After a membership change: how many changed and the segment's size. */
export const segmentMembershipChangeSchema = z.object({
  added: z.number().int(),
  removed: z.number().int(),
  customer_count: z.number().int(),
});
export type SegmentMembershipChange = z.infer<typeof segmentMembershipChangeSchema>;

/** GET /api/crm/segments/:id/report?days=N. */
export const segmentReportQuerySchema = z.object({
  days: z.coerce.number().int().min(7).max(730).default(90),
});

/** What a segment is worth and who is in it (the segment page's charts). */
export const segmentReportSchema = z.object({
  segment_id: z.string(),
  customer_count: z.number().int(),
  /** One point per day with a snapshot in the window (oldest first); today is the live count. */
  size_history: z.array(z.object({ day: z.string(), customer_count: z.number().int() })),
  revenue: z.object({
    /** Lifetime revenue of the members. */
    segment: z.number(),
    /** Lifetime revenue of all customers. */
    total: z.number(),
    /** segment / total, 0..1 (0 when there is no revenue at all). */
    share: z.number(),
  }),
  averages: z.object({
    lifetime_value: z.number(),
    average_order_value: z.number(),
    total_orders: z.number(),
  }),
  lifecycle: z.array(z.object({ stage: z.enum(lifecycleStages), customers: z.number().int() })),
  /** The tags members carry most, most common first (at most 10). */
  tags: z.array(
    z.object({ id: z.string(), name: z.string(), color: z.string(), customers: z.number().int() }),
  ),
});
export type SegmentReport = z.infer<typeof segmentReportSchema>;
