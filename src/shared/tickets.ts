import { z } from 'zod';

export const ticketStatuses = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];
export const commentVisibilities = ['public', 'internal'] as const;
export type CommentVisibility = (typeof commentVisibilities)[number];

/** Statuses in which a ticket is done: its SLA can no longer be breached. */
export const doneTicketStatuses: readonly TicketStatus[] = ['resolved', 'closed'];

/** A comma-separated or repeated query parameter, e.g. `status=open,pending`. */
const csvEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

const subjectSchema = z
  .string()
  .trim()
  .min(1, 'Subject is required')
  .max(200, 'Subject must be at most 200 characters');
const descriptionSchema = z
  .string()
  .trim()
  .max(20000, 'Description must be at most 20,000 characters')
  .nullish()
  .transform((d) => (d ? d : null));
const commentBodySchema = z
  .string()
  .trim()
  .min(1, 'Comment is required')
  .max(20000, 'Comment must be at most 20,000 characters');

const personSchema = z.object({ id: z.string(), name: z.string().nullable() });

export const ticketCommentSchema = z.object({
  id: z.string(),
  body: z.string(),
  visibility: z.enum(commentVisibilities),
  /** The staff user who wrote it, or null when it came from an external help desk. */
  author: personSchema.nullable(),
  /** Who wrote it in the external help desk. */
  external_author: z.string().nullable(),
  created_at: z.string(),
});
export type TicketComment = z.infer<typeof ticketCommentSchema>;

/** A ticket as lists show it. */
export const ticketSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  subject: z.string(),
  description: z.string().nullable(),
  status: z.enum(ticketStatuses),
  priority: z.enum(ticketPriorities),
  customer: personSchema.nullable(),
  assignee: personSchema.nullable(),
  /** When it must be resolved by (its priority's resolution time after it opened). */
  sla_due_at: z.string(),
  /** When the first public reply is due (its priority's first-response time after it opened). */
  first_response_due_at: z.string(),
  /** Open or pending with an SLA clock run out: no first response in time, or not resolved in time. */
  breached: z.boolean(),
  /** Which clock ran out first; null when not breached. */
  breach: z.enum(['first_response', 'resolution']).nullable(),
  first_response_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
  closed_at: z.string().nullable(),
  external_source: z.string().nullable(),
  external_id: z.string().nullable(),
  created_by: z.string().nullable(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/** GET /api/crm/tickets/:id: the ticket with its comments, oldest first. */
export const ticketDetailSchema = ticketSchema.extend({ comments: z.array(ticketCommentSchema) });
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

export const ticketSortFields = ['sla_due_at', 'created_at'] as const;

/** GET /api/crm/tickets query string. */
export const ticketListQuerySchema = z.object({
  status: csvEnum(ticketStatuses).optional(),
  priority: csvEnum(ticketPriorities).optional(),
  /** A staff id, `me` (the caller) or `none` (unassigned). */
  assignee_id: z.union([z.uuid(), z.literal('me'), z.literal('none')]).optional(),
  customer_id: z.uuid().optional(),
  breached: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(ticketSortFields).default('sla_due_at'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type TicketListQuery = z.input<typeof ticketListQuerySchema>;

/** How many tickets per status (and breached) under the list's other filters. */
export const ticketCountsSchema = z.object({
  open: z.number().int(),
  pending: z.number().int(),
  resolved: z.number().int(),
  closed: z.number().int(),
  breached: z.number().int(),
});
export type TicketCounts = z.infer<typeof ticketCountsSchema>;

export const ticketListSchema = z.object({
  data: z.array(ticketSchema),
  next_cursor: z.string().nullable(),
  counts: ticketCountsSchema,
});
export type TicketList = z.infer<typeof ticketListSchema>;

/** POST /api/crm/tickets. */
export const ticketCreateSchema = z.object({
  subject: subjectSchema,
  description: descriptionSchema.optional(),
  priority: z.enum(ticketPriorities).default('normal'),
  assignee_id: z.uuid('Assignee ids are UUIDs').nullish(),
  customer_id: z.uuid('Customer ids are UUIDs').nullish(),
});
export type TicketCreate = z.input<typeof ticketCreateSchema>;

/** PUT /api/crm/tickets/:id: only the fields given change; `version` is the one the edit started from. */
export const ticketUpdateSchema = z.object({
  subject: subjectSchema.optional(),
  description: descriptionSchema.optional(),
  status: z.enum(ticketStatuses).optional(),
  priority: z.enum(ticketPriorities).optional(),
  assignee_id: z.uuid('Assignee ids are UUIDs').nullable().optional(),
  version: z.number().int().min(1),
});
export type TicketUpdate = z.input<typeof ticketUpdateSchema>;

/** POST /api/crm/tickets/:id/comments. */
export const ticketCommentCreateSchema = z.object({
  body: commentBodySchema,
  visibility: z.enum(commentVisibilities).default('public'),
});
export type TicketCommentCreate = z.input<typeof ticketCommentCreateSchema>;

const minutesSchema = z
  .number()
  .int('Use whole minutes')
  .min(1, 'At least one minute')
  .max(525600, 'At most a year (525,600 minutes)');

export const slaPolicySchema = z.object({
  priority: z.enum(ticketPriorities),
  first_response_minutes: minutesSchema,
  resolution_minutes: minutesSchema,
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const slaPolicyListSchema = z.object({ data: z.array(slaPolicySchema) });
export type SlaPolicyList = z.infer<typeof slaPolicyListSchema>;

/** PUT /api/crm/tickets/sla-policies: the policies to change (each priority at most once). */
export const slaPolicyUpdateSchema = z.object({
  data: z
    .array(slaPolicySchema)
    .min(1, 'Give at least one policy')
    .max(4)
    .refine(
      (list) => new Set(list.map((p) => p.priority)).size === list.length,
      'Each priority at most once',
    ),
});
export type SlaPolicyUpdate = z.input<typeof slaPolicyUpdateSchema>;

/** POST /api/crm/tickets/inbound: a ticket as an external help desk sends it. */
export const inboundTicketSchema = z.object({
  source: z.string().trim().min(1).max(100),
  external_id: z.string().trim().min(1).max(200),
  subject: subjectSchema,
  description: descriptionSchema.optional(),
  status: z.enum(ticketStatuses).optional(),
  priority: z.enum(ticketPriorities).optional(),
  customer_email: z.email('Enter a valid email address').max(320).optional(),
  comments: z
    .array(
      z.object({
        external_id: z.string().trim().min(1).max(200).optional(),
        body: commentBodySchema,
        visibility: z.enum(commentVisibilities),
        author: z.string().trim().min(1).max(200),
      }),
    )
    .max(500)
    .optional(),
});
export type InboundTicket = z.input<typeof inboundTicketSchema>;

export const inboundTicketResultSchema = z.object({
  id: z.string(),
  created: z.boolean(),
  comments_added: z.number().int(),
});
export type InboundTicketResult = z.infer<typeof inboundTicketResultSchema>;
