import { z } from 'zod';
import { criteriaSchema } from './criteria/api.js';
import { customerListQuerySchema } from './customers.js';
import { customerStatuses } from './enums.js';
import { jobAcceptedSchema } from './jobs.js';

/** Selections above this many customers run as a background job (202) instead of inline. */
export const BULK_INLINE_LIMIT = 1000;

const uuid = z.uuid('Ids are UUIDs');

/** The customer list's filters (its query string, without paging): "all matching" in the list. */
export const bulkListFilterSchema = customerListQuerySchema.omit({
  sort: true,
  order: true,
  limit: true,
  cursor: true,
});

/**
 * Which customers a bulk action applies to: exactly one of hand-picked ids, a criteria tree, a
 * segment's members, or everything the customer list's filters match.
 */
export const bulkSelectionSchema = z.union([
  z.object({ ids: z.array(uuid).min(1, 'Select at least one customer').max(10_000) }).strict(),
  z.object({ criteria: criteriaSchema }).strict(),
  z.object({ segment_id: uuid }).strict(),
  z.object({ filter: bulkListFilterSchema }).strict(),
]);
export type BulkSelection = z.input<typeof bulkSelectionSchema>;

const tagRefs = {
  /** Existing tag ids. */
  tag_ids: z.array(uuid).max(50).default([]),
  /** Tag names; with `add_tags`, missing ones are created (needs `tags:manage`). */
  tag_names: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
};

export const bulkActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add_tags'), ...tagRefs }),
  z.object({ type: z.literal('remove_tags'), ...tagRefs }),
  z.object({ type: z.literal('add_to_segment'), segment_id: uuid }),
  z.object({ type: z.literal('remove_from_segment'), segment_id: uuid }),
  z.object({ type: z.literal('set_status'), status: z.enum(customerStatuses) }),
  /** null clears the owner. */
  z.object({ type: z.literal('set_owner'), owner_id: uuid.nullable() }),
]);
export type BulkAction = z.input<typeof bulkActionSchema>;
export type BulkActionType = BulkAction['type'];

/** POST /api/crm/customers/bulk. */
export const bulkRequestSchema = z.object({
  selection: bulkSelectionSchema,
  action: bulkActionSchema,
});
export type BulkRequest = z.input<typeof bulkRequestSchema>;

/** What a bulk action did: customers selected and customers actually changed. */
export const bulkResultSchema = z.object({
  status: z.literal('succeeded'),
  selected: z.number().int(),
  changed: z.number().int(),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;

/** 200 with the result for small selections, 202 with a job for large ones. */
export const bulkReplySchema = z.union([bulkResultSchema, jobAcceptedSchema]);
export type BulkReply = z.infer<typeof bulkReplySchema>;
