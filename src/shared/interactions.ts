import { z } from 'zod';
import { staffRefSchema } from './notes.js';

export const interactionTypes = ['email', 'phone', 'chat', 'meeting', 'order'] as const;
export type InteractionType = (typeof interactionTypes)[number];

const interactionTypeSchema = z.enum(interactionTypes, `Use one of: ${interactionTypes.join(', ')}`);
const subjectSchema = z
  .string()
  .trim()
  .min(1, 'A subject is required')
  .max(200, 'A subject may have at most 200 characters');
/** Optional free text: blank becomes null. */
const textSchema = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .nullish()
    .transform((s) => (s ? s : null));
const dateTimeSchema = z.iso.datetime({
  offset: true,
  message: 'Use an ISO date and time, e.g. 2026-05-01T09:00:00Z',
});

/** POST /api/crm/customers/:id/interactions. A follow-up date creates a task for the creator. */
export const interactionCreateSchema = z.object({
  interaction_type: interactionTypeSchema,
  subject: subjectSchema,
  description: textSchema(20_000).optional(),
  outcome: textSchema(2_000).optional(),
  /** When it happened; now when omitted. */
  occurred_at: dateTimeSchema.optional(),
  follow_up_date: dateTimeSchema.nullish(),
});
export type InteractionCreate = z.input<typeof interactionCreateSchema>;

/**
 * PUT /api/crm/interactions/:id: the fields to change, with the version read. Setting a follow-up
 * date where there was none (or its task is gone) creates a task; null clears the date.
 */
export const interactionUpdateSchema = z.object({
  interaction_type: interactionTypeSchema.optional(),
  subject: subjectSchema.optional(),
  description: textSchema(20_000).optional(),
  outcome: textSchema(2_000).optional(),
  occurred_at: dateTimeSchema.optional(),
  follow_up_date: dateTimeSchema.nullish(),
  version: z.number().int().positive(),
});
export type InteractionUpdate = z.input<typeof interactionUpdateSchema>;

export const interactionSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  interaction_type: z.enum(interactionTypes),
  subject: z.string(),
  description: z.string().nullable(),
  outcome: z.string().nullable(),
  occurred_at: z.string(),
  follow_up_date: z.string().nullable(),
  /** The task the follow-up date created (null when none, or once that task is deleted). */
  follow_up_task_id: z.string().nullable(),
  author: staffRefSchema.nullable(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Interaction = z.infer<typeof interactionSchema>;

/** GET /api/crm/customers/:id/interactions: newest first (by when they happened); keyset paging. */
export const interactionListQuerySchema = z.object({
  interaction_type: z.enum(interactionTypes).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type InteractionListQuery = z.infer<typeof interactionListQuerySchema>;

export const interactionListSchema = z.object({
  data: z.array(interactionSchema),
  next_cursor: z.string().nullable(),
});
export type InteractionList = z.infer<typeof interactionListSchema>;
