import { z } from 'zod';

const isoDateTime = z.iso.datetime({
  offset: true,
  message: 'Use an ISO date-time such as 2026-01-31T09:00:00Z',
});
const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

const titleSchema = z
  .string()
  .trim()
  .min(1, 'Title is required')
  .max(200, 'Title must be at most 200 characters');
const descriptionSchema = z
  .string()
  .trim()
  .max(5000, 'Description must be at most 5000 characters')
  .nullish()
  .transform((d) => (d ? d : null));

/** A task as the API shows it; `overdue` is open with a due time in the past. */
export const taskSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  customer: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  assignee: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  due_at: z.string().nullable(),
  remind_at: z.string().nullable(),
  reminded_at: z.string().nullable(),
  done: z.boolean(),
  done_at: z.string().nullable(),
  overdue: z.boolean(),
  created_by: z.string().nullable(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Task = z.infer<typeof taskSchema>;

/** GET /api/crm/tasks: open first, overdue first, then by due time (no due time last). */
export const taskListQuerySchema = z.object({
  /** A staff id, `me` or `none` (unassigned). */
  assignee_id: z
    .union([z.uuid('Use a staff id, "me" or "none"'), z.literal('me'), z.literal('none')])
    .optional(),
  customer_id: z.uuid('Customer ids are UUIDs').optional(),
  done: booleanParam.optional(),
  /** Tasks due before this time. */
  due_before: isoDateTime.optional(),
  /** `true`: only open tasks whose due time has passed. */
  overdue: booleanParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type TaskListQuery = z.input<typeof taskListQuerySchema>;

export const taskListSchema = z.object({ data: z.array(taskSchema), next_cursor: z.string().nullable() });
export type TaskList = z.infer<typeof taskListSchema>;

/** POST /api/crm/tasks. The assignee defaults to the creator; a reminder may not come after the due time. */
export const taskCreateSchema = z.object({
  title: titleSchema,
  description: descriptionSchema.optional(),
  customer_id: z.uuid('Customer ids are UUIDs').nullish(),
  due_at: isoDateTime.nullish(),
  remind_at: isoDateTime.nullish(),
  assignee_id: z.uuid('Staff ids are UUIDs').nullish(),
});
export type TaskCreate = z.input<typeof taskCreateSchema>;

/**
 * PUT /api/crm/tasks/:id: only the fields given change (null clears one); `version` is the one
 * the task was read at (a stale one is a 409 with the current task).
 */
export const taskUpdateSchema = z.object({
  title: titleSchema.optional(),
  description: descriptionSchema.optional(),
  customer_id: z.uuid('Customer ids are UUIDs').nullish(),
  due_at: isoDateTime.nullish(),
  remind_at: isoDateTime.nullish(),
  assignee_id: z.uuid('Staff ids are UUIDs').nullish(),
  done: z.boolean().optional(),
  version: z.number().int().positive(),
});
export type TaskUpdate = z.input<typeof taskUpdateSchema>;
