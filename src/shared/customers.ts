import { z } from 'zod';
import { contactMethods, customerStatuses, lifecycleStages } from './enums.js';
import { criteriaJsonParamSchema, criteriaTextParamSchema } from './criteria/api.js';

const trimmed = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => trimmed(max).nullish();

/** ISO 3166-1 alpha-2, upper case ("DE", "US"). */
export const countryCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'Use a two-letter country code such as "US"')
  .transform((c) => c.toUpperCase());

/** E.164-ish: digits with optional leading +, spaces, dashes, dots and brackets allowed on input. */
export const phoneNumberSchema = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^\+?[0-9 ()./-]{3,40}$/, 'Use digits, spaces and an optional leading +');

export const customerEmailSchema = z.object({
  id: z.string().optional(),
  email: z.email('Enter a valid email address').max(320),
  label: optionalText(50),
  is_primary: z.boolean().default(false),
});
export const customerPhoneSchema = z.object({
  id: z.string().optional(),
  phone: phoneNumberSchema,
  label: optionalText(50),
  is_primary: z.boolean().default(false),
});
export const customerAddressSchema = z.object({
  id: z.string().optional(),
  label: optionalText(50),
  line1: trimmed(200).min(1, 'Street is required'),
  line2: optionalText(200),
  city: trimmed(100).min(1, 'City is required'),
  region: optionalText(100),
  postal_code: optionalText(20),
  country: countryCodeSchema,
  is_primary: z.boolean().default(false),
});
export type CustomerEmail = z.infer<typeof customerEmailSchema>;
export type CustomerPhone = z.infer<typeof customerPhoneSchema>;
export type CustomerAddress = z.infer<typeof customerAddressSchema>;

export const communicationPreferencesSchema = z
  .object({
    email: z.object({ marketing: z.boolean(), transactional: z.boolean() }).partial().optional(),
    sms: z.object({ marketing: z.boolean(), transactional: z.boolean() }).partial().optional(),
    phone: z.object({ marketing: z.boolean(), transactional: z.boolean() }).partial().optional(),
    do_not_contact: z.boolean().optional(),
    /** false: no open pixel and no click rewriting in mail to this customer (default on). */
    tracking: z.boolean().optional(),
    /** false: refused data sharing (marketing exports leave them out; default allowed). */
    data_sharing: z.boolean().optional(),
  })
  .strict();
export type CommunicationPreferences = z.infer<typeof communicationPreferencesSchema>;

const customerWritableFields = {
  first_name: optionalText(100),
  last_name: optionalText(100),
  company: optionalText(200),
  customer_status: z.enum(customerStatuses).optional(),
  lifecycle_stage: z.enum(lifecycleStages).optional(),
  acquisition_source: optionalText(100),
  acquisition_date: z.iso.datetime({ offset: true }).optional(),
  preferred_contact_method: z.enum(contactMethods).optional(),
  communication_preferences: communicationPreferencesSchema.optional(),
  owner_id: z.uuid().nullish(),
  emails: z.array(customerEmailSchema).max(20).optional(),
  phones: z.array(customerPhoneSchema).max(20).optional(),
  addresses: z.array(customerAddressSchema).max(20).optional(),
};

/** POST /api/crm/customers. `email`/`phone` are shorthands for a single primary contact. */
export const customerCreateSchema = z.object({
  ...customerWritableFields,
  email: z.email('Enter a valid email address').max(320).optional(),
  phone: phoneNumberSchema.optional(),
});
export type CustomerCreate = z.infer<typeof customerCreateSchema>;

/** PUT /api/crm/customers/:id: lists given replace the stored lists; `version` must be current. */
// A plain object (no refinements) so forms can .pick() their fields; cross-field rules are checked
// by the service.
export const customerUpdateSchema = z.object({
  ...customerWritableFields,
  /** true: stop overriding the stage by hand and let the lifecycle rules set it again. */
  lifecycle_stage_auto: z.boolean().optional(),
  version: z.number().int().positive(),
});
export type CustomerUpdate = z.infer<typeof customerUpdateSchema>;

export const ownerSchema = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

/** A list row: the profile with its primary contact flattened to the top level. */
export const customerRowSchema = z.object({
  id: z.string(),
  user_id: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  country: z.string().nullable(),
  customer_status: z.enum(customerStatuses),
  lifecycle_stage: z.enum(lifecycleStages),
  customer_value: z.number(),
  lifetime_value: z.number(),
  total_orders: z.number().int(),
  average_order_value: z.number(),
  last_order_date: z.string().nullable(),
  first_order_date: z.string().nullable(),
  acquisition_date: z.string(),
  acquisition_source: z.string().nullable(),
  preferred_contact_method: z.enum(contactMethods),
  owner: ownerSchema.nullable(),
  /** The customer's tags, by name (list rows and the profile alike). */
  tags: z.array(z.object({ id: z.string(), name: z.string(), color: z.string() })),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CustomerRow = z.infer<typeof customerRowSchema>;

// Stored contacts as returned: plain strings, since they may be masked ("j***@example.com").
const storedEmail = z.object({
  id: z.string(),
  email: z.string(),
  label: z.string().nullable(),
  is_primary: z.boolean(),
});
const storedPhone = z.object({
  id: z.string(),
  phone: z.string(),
  label: z.string().nullable(),
  is_primary: z.boolean(),
});
const storedAddress = z.object({
  id: z.string(),
  label: z.string().nullable(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postal_code: z.string().nullable(),
  country: z.string(),
  is_primary: z.boolean(),
});

/** GET /api/crm/customers/:id: the whole profile. */
export const customerSchema = customerRowSchema.extend({
  /** The stage was set by hand; the lifecycle rules leave it alone until cleared. */
  lifecycle_stage_manual: z.boolean(),
  /** Set when the person's data was erased on request: the record is anonymised for good. */
  erased_at: z.string().nullable(),
  communication_preferences: z.record(z.string(), z.unknown()),
  emails: z.array(storedEmail),
  phones: z.array(storedPhone),
  addresses: z.array(storedAddress),
  segments: z.array(z.object({ id: z.string(), name: z.string() })),
  recent_orders: z.array(z.lazy(() => orderSummarySchema)),
});
export type Customer = z.infer<typeof customerSchema>;

/** Columns the list can be sorted by (each has a keyset index). */
export const customerSortFields = [
  'created_at',
  'updated_at',
  'last_name',
  'first_name',
  'email',
  'company',
  'lifetime_value',
  'total_orders',
  'average_order_value',
  'customer_value',
  'last_order_date',
  'acquisition_date',
] as const;
export type CustomerSortField = (typeof customerSortFields)[number];

/** A comma-separated or repeated query parameter, e.g. `status=active,prospect`. */
const csvEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

const dateParam = z.iso.datetime({ offset: true }).or(z.iso.date());

/** GET /api/crm/customers query string. */
export const customerListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  status: csvEnum(customerStatuses).optional(),
  lifecycle_stage: csvEnum(lifecycleStages).optional(),
  min_lifetime_value: z.coerce.number().min(0).optional(),
  max_lifetime_value: z.coerce.number().min(0).optional(),
  min_orders: z.coerce.number().int().min(0).optional(),
  max_orders: z.coerce.number().int().min(0).optional(),
  last_order_after: dateParam.optional(),
  last_order_before: dateParam.optional(),
  created_after: dateParam.optional(),
  created_before: dateParam.optional(),
  acquisition_source: z.string().trim().max(100).optional(),
  owner_id: z.union([z.uuid(), z.literal('none'), z.literal('me')]).optional(),
  country: countryCodeSchema.optional(),
  /** A criteria tree as JSON (see src/shared/criteria); ANDed with the other filters. */
  criteria: criteriaJsonParamSchema.optional(),
  /** The same in the text form, e.g. `lifetime_value >= 500 AND tag = "vip"`. */
  query: criteriaTextParamSchema.optional(),
  sort: z.enum(customerSortFields).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

/** Lists count matches up to this many; beyond it `total_exact` is false ("10,000+"). */
export const CUSTOMER_COUNT_CAP = 10_000;

export const customerListSchema = z.object({
  data: z.array(customerRowSchema),
  next_cursor: z.string().nullable(),
  /** Matching customers: exact, or CUSTOMER_COUNT_CAP when `total_exact` is false. */
  total: z.number().int(),
  total_exact: z.boolean(),
});
export type CustomerList = z.infer<typeof customerListSchema>;

/** GET /api/crm/customers/count: the exact count for the same filters (may take longer). */
export const customerCountSchema = z.object({ total: z.number().int() });

// Orders are referenced by the profile; defined here to avoid an import cycle.
export const orderSummarySchema = z.object({
  id: z.string(),
  external_id: z.string().nullable(),
  status: z.string(),
  currency: z.string(),
  total: z.number(),
  item_count: z.number().int(),
  placed_at: z.string(),
});
export type OrderSummary = z.infer<typeof orderSummarySchema>;

export const timelineKinds = [
  'order_placed',
  'order_status_changed',
  'customer_created',
  'profile_updated',
  'signed_up',
  'imported',
  'tag_added',
  'tag_removed',
  'stage_changed',
  'segment_entered',
  'segment_left',
  'note_added',
  'note_updated',
  'note_deleted',
  'interaction_logged',
  'interaction_updated',
  'interaction_deleted',
  'ticket_opened',
  'ticket_updated',
  'ticket_commented',
  'task_created',
  'task_completed',
  'task_deleted',
  'email_sent',
  'email_failed',
  'email_opened',
  'email_clicked',
  'email_replied',
  'email_bounced',
  'email_complained',
  'email_received',
  'preferences_changed',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export const timelineEventSchema = z.object({
  id: z.string(),
  kind: z.enum(timelineKinds),
  occurred_at: z.string(),
  actor: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const timelineQuerySchema = z.object({
  kind: csvEnum(timelineKinds).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const timelineSchema = z.object({
  data: z.array(timelineEventSchema),
  next_cursor: z.string().nullable(),
});

/** GET /api/crm/activity: what staff did, across customers. */
export const activityQuerySchema = timelineQuerySchema.extend({
  actor_id: z.union([z.uuid('Staff ids are UUIDs'), z.literal('me')]).optional(),
});

export const activitySchema = z.object({
  data: z.array(
    timelineEventSchema.extend({ customer: z.object({ id: z.string(), name: z.string().nullable() }) }),
  ),
  next_cursor: z.string().nullable(),
});
export type Activity = z.infer<typeof activitySchema>;

export const importModes = ['update', 'skip'] as const;
export const importReportSchema = z.object({
  total_rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), reason: z.string(), field: z.string().nullable() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** Import target fields a CSV column can map to. */
export const importFields = [
  'email',
  'first_name',
  'last_name',
  'company',
  'phone',
  'customer_status',
  'lifecycle_stage',
  'acquisition_source',
  'acquisition_date',
  'preferred_contact_method',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
] as const;
export type ImportField = (typeof importFields)[number];
