import { z } from 'zod';

/**
 * Email communication: templates (versioned), sending (one-to-one and campaigns), the emails
 * themselves grouped into threads, tracking events, preferences and analytics.
 */

const isoDateTime = z.iso.datetime({
  offset: true,
  message: 'Use an ISO date-time such as 2026-01-31T09:00:00Z',
});

export const emailCategories = ['marketing', 'transactional'] as const;
export type EmailCategory = (typeof emailCategories)[number];

export const channels = ['email', 'sms', 'phone'] as const;
export type Channel = (typeof channels)[number];

/**
 * Outbound: queued → sent (or outbox: written to the local outbox folder, never delivered; or
 * failed) → delivered → opened → clicked → replied, only ever forward; bounced ends delivery.
 * Inbound messages are `received`.
 */
export const emailStatuses = [
  'queued',
  'outbox',
  'failed',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'replied',
  'bounced',
  'received',
] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/** What can happen to a sent email, as providers and our tracking report it. */
export const emailEventKinds = [
  'delivered',
  'opened',
  'clicked',
  'replied',
  'bounced',
  'complained',
  'unsubscribed',
] as const;
export type EmailEventKind = (typeof emailEventKinds)[number];

/** The profile fields a template may use, as `{{name}}` (HTML-escaped in the HTML part). */
export const templateVariables = [
  'first_name',
  'last_name',
  'full_name',
  'email',
  'company',
  'customer_status',
  'lifecycle_stage',
  'lifetime_value',
  'total_orders',
  'average_order_value',
  'last_order_date',
  'sender_name',
  'unsubscribe_url',
] as const;
export type TemplateVariable = (typeof templateVariables)[number];

// ---------------------------------------------------------------- templates

const templateName = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(120, 'Name must be at most 120 characters');
const subject = z
  .string()
  .trim()
  .min(1, 'Subject is required')
  .max(300, 'Subject must be at most 300 characters');

/** The parts of a template that an edit versions. Mustache syntax: `{{first_name}}`. */
export const templateContentSchema = z.object({
  subject,
  body_html: z.string().trim().min(1, 'The HTML body is required').max(200_000, 'The HTML body is too long'),
  body_text: z.string().trim().min(1, 'The text body is required').max(100_000, 'The text body is too long'),
});

export const emailTemplateCreateSchema = templateContentSchema.extend({
  name: templateName,
  description: z.string().trim().max(1000).nullish(),
  category: z.enum(emailCategories).default('marketing'),
});
export type EmailTemplateCreate = z.input<typeof emailTemplateCreateSchema>;

/**
 * PUT: `version` is the current version the edit was based on (409 when another edit came
 * first). Changing subject or bodies makes a new version; name/description/category do not.
 */
export const emailTemplateUpdateSchema = templateContentSchema.partial().extend({
  name: templateName.optional(),
  description: z.string().trim().max(1000).nullish(),
  category: z.enum(emailCategories).optional(),
  version: z.number().int().min(1),
});
export type EmailTemplateUpdate = z.input<typeof emailTemplateUpdateSchema>;

export const emailTemplateVersionSchema = z.object({
  version: z.number().int(),
  subject: z.string(),
  body_html: z.string(),
  body_text: z.string(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});
export type EmailTemplateVersion = z.infer<typeof emailTemplateVersionSchema>;

/** A template with its current content; `version` is the current version number. */
export const emailTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  category: z.enum(emailCategories),
  version: z.number().int(),
  subject: z.string(),
  body_html: z.string(),
  body_text: z.string(),
  archived: z.boolean(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type EmailTemplate = z.infer<typeof emailTemplateSchema>;

export const emailTemplateListSchema = z.object({ data: z.array(emailTemplateSchema) });

export const emailTemplateVersionListSchema = z.object({ data: z.array(emailTemplateVersionSchema) });

/** POST /email-templates/preview: render content (saved or not) with one customer's data. */
export const templatePreviewRequestSchema = templateContentSchema.extend({
  customer_id: z.uuid('Customer ids are UUIDs').optional(),
});
export const renderedEmailSchema = z.object({ subject: z.string(), html: z.string(), text: z.string() });
export type RenderedEmail = z.infer<typeof renderedEmailSchema>;

// ---------------------------------------------------------------- sending

export const skipReasons = ['do_not_contact', 'unsubscribed', 'no_email', 'customer_not_found'] as const;
export type SkipReason = (typeof skipReasons)[number];

/**
 * POST /communications/send. One of:
 * - `customer_id` with `subject` + `body` (markdown) or `template_id`: one email now;
 * - `segment_id` with `template_id`: a campaign, sent in the background.
 */
export const sendEmailSchema = z
  .object({
    customer_id: z.uuid('Customer ids are UUIDs').optional(),
    segment_id: z.uuid('Segment ids are UUIDs').optional(),
    template_id: z.uuid('Template ids are UUIDs').optional(),
    subject: subject.optional(),
    /** Markdown; sent as text and as HTML (links made clickable). */
    body: z.string().trim().min(1, 'Write a message').max(100_000).optional(),
    /** Marketing mail needs marketing consent; transactional mail (the default one-to-one) does not. */
    category: z.enum(emailCategories).optional(),
    /** Reply within this email's thread. */
    in_reply_to_email_id: z.uuid('Email ids are UUIDs').optional(),
    /** A campaign's name (default: template name and date). */
    campaign_name: z.string().trim().min(1).max(200).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.customer_id === !v.segment_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['customer_id'],
        message: 'Give either customer_id or segment_id',
      });
    }
    if (v.segment_id && !v.template_id) {
      ctx.addIssue({ code: 'custom', path: ['template_id'], message: 'A campaign needs a template' });
    }
    if (v.customer_id && !v.template_id) {
      if (!v.subject) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'Subject is required' });
      if (!v.body) ctx.addIssue({ code: 'custom', path: ['body'], message: 'Write a message' });
    }
  });
export type SendEmail = z.input<typeof sendEmailSchema>;

export const skippedSchema = z.object({ customer_id: z.string(), reason: z.enum(skipReasons) });

// ---------------------------------------------------------------- emails and threads

export const emailEventSchema = z.object({
  kind: z.enum(emailEventKinds),
  occurred_at: z.string(),
  machine: z.boolean(),
  machine_reason: z.string().nullable(),
  link_url: z.string().nullable(),
});

export const emailSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  thread_id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  email_address: z.string(),
  from_address: z.string(),
  subject: z.string(),
  body_text: z.string().nullable(),
  body_html: z.string().nullable(),
  message_id: z.string(),
  status: z.enum(emailStatuses),
  category: z.enum(emailCategories),
  /** smtp, or outbox when no SMTP is configured (written to a file, never delivered). */
  transport: z.enum(['smtp', 'outbox']).nullable(),
  tracking: z.boolean(),
  template: z.object({ id: z.string(), name: z.string(), version: z.number().int() }).nullable(),
  campaign: z.object({ id: z.string(), name: z.string() }).nullable(),
  sent_by: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  opened_at: z.string().nullable(),
  clicked_at: z.string().nullable(),
  replied_at: z.string().nullable(),
  bounced_at: z.string().nullable(),
  complained_at: z.string().nullable(),
  /** Human events; machine ones (privacy proxies, link scanners) apart. */
  open_count: z.number().int(),
  click_count: z.number().int(),
  machine_open_count: z.number().int(),
  machine_click_count: z.number().int(),
});
export type Email = z.infer<typeof emailSchema>;

/** POST /communications/send for one customer. */
export const sendResultSchema = z.object({
  email: emailSchema.nullable(),
  skipped: z.array(skippedSchema),
  /** true when no SMTP is configured: mail is written to the outbox folder, not delivered. */
  outbox: z.boolean(),
});
export type SendResult = z.infer<typeof sendResultSchema>;

export const campaignStatuses = ['queued', 'sending', 'sent', 'failed'] as const;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  template: z.object({ id: z.string(), name: z.string(), version: z.number().int() }),
  segment: z.object({ id: z.string().nullable(), name: z.string() }),
  status: z.enum(campaignStatuses),
  job_id: z.string().nullable(),
  recipients: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int(),
  skipped_by_reason: z.record(z.string(), z.number().int()),
  created_by: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignListSchema = z.object({ data: z.array(campaignSchema) });

/** GET /communications/campaigns/:id/skipped: who the campaign left out, and why. */
export const campaignSkippedSchema = z.object({
  data: z.array(
    z.object({ customer_id: z.string(), name: z.string().nullable(), reason: z.enum(skipReasons) }),
  ),
  next_cursor: z.string().nullable(),
});
export const campaignSkippedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The last customer id of the previous page. */
  cursor: z.uuid('The cursor is the last customer id of the previous page').optional(),
});

/** POST /communications/send for a segment: 202. */
export const campaignAcceptedSchema = z.object({
  campaign: campaignSchema,
  job_id: z.string(),
  status_url: z.string(),
  outbox: z.boolean(),
});

export const threadSchema = z.object({
  thread_id: z.string(),
  subject: z.string(),
  last_at: z.string(),
  message_count: z.number().int(),
  messages: z.array(emailSchema.extend({ events: z.array(emailEventSchema) })),
});
export type Thread = z.infer<typeof threadSchema>;

/** GET /communications/:customerId: newest thread first. */
export const threadListSchema = z.object({
  data: z.array(threadSchema),
  next_cursor: z.string().nullable(),
  /** true when no SMTP is configured. */
  outbox: z.boolean(),
});
export type ThreadList = z.infer<typeof threadListSchema>;

export const threadListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});

// ---------------------------------------------------------------- tracking

/**
 * POST /communications/track: one event (or `events`, up to 500) by `email_id` or `message_id`.
 * `event_id` makes a retry harmless; without it the natural key (email, kind, time, link) does.
 */
export const trackEventSchema = z
  .object({
    email_id: z.uuid('Email ids are UUIDs').optional(),
    message_id: z.string().trim().min(3).max(998).optional(),
    event: z.enum(emailEventKinds),
    event_id: z.string().trim().min(1).max(200).optional(),
    occurred_at: isoDateTime.optional(),
    url: z.url().max(4000).optional(),
    user_agent: z.string().max(1000).optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    /** A provider's own machine verdict (e.g. Apple Mail Privacy Protection). */
    machine: z.boolean().optional(),
    /** For bounces: hard (address gone) or soft (temporary). */
    bounce_type: z.enum(['hard', 'soft']).optional(),
  })
  .refine((v) => v.email_id || v.message_id, {
    path: ['email_id'],
    message: 'Give email_id or message_id',
  });
export const trackRequestSchema = z.union([
  trackEventSchema,
  z.object({ events: z.array(trackEventSchema).min(1).max(500) }),
]);
export const trackResultSchema = z.object({
  recorded: z.number().int(),
  duplicates: z.number().int(),
  /** Events whose email was not found (by id or Message-ID). */
  unknown: z.number().int(),
});
export type TrackResult = z.infer<typeof trackResultSchema>;

export const inboundEmailResultSchema = z.object({
  email_id: z.string(),
  customer_id: z.string(),
  thread_id: z.string(),
  /** The outbound email this replies to, now `replied`. */
  in_reply_to_email_id: z.string().nullable(),
  duplicate: z.boolean(),
});

// ---------------------------------------------------------------- preferences

const consent = z.object({ marketing: z.boolean(), transactional: z.boolean() });

/** Every channel spelled out (stored partially; missing means the default: allowed). */
export const communicationPreferencesViewSchema = z.object({
  email: consent,
  sms: consent,
  phone: consent,
  do_not_contact: z.boolean(),
  /** false: no open pixel and no click rewriting in mail to this customer. */
  tracking: z.boolean(),
  /** false: the customer refused data sharing; marketing exports leave them out. */
  data_sharing: z.boolean(),
});
export type CommunicationPreferencesView = z.infer<typeof communicationPreferencesViewSchema>;

export const preferenceSources = ['staff', 'unsubscribe_link', 'one_click', 'complaint', 'bounce'] as const;

export const preferenceChangeSchema = z.object({
  id: z.string(),
  changed_at: z.string(),
  source: z.enum(preferenceSources),
  changed_by: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  email_id: z.string().nullable(),
  /** Only what changed: path (e.g. `email.marketing`) → [before, after]. */
  changes: z.record(z.string(), z.tuple([z.boolean(), z.boolean()])),
});

export const communicationPreferencesSchemaResponse = z.object({
  preferences: communicationPreferencesViewSchema,
  /** The customer's version, for the next PUT. */
  version: z.number().int(),
  history: z.array(preferenceChangeSchema),
});
export type CommunicationPreferencesResponse = z.infer<typeof communicationPreferencesSchemaResponse>;

/** PUT /customers/:id/communication-preferences: what to change, with the customer's version. */
export const communicationPreferencesUpdateSchema = z.object({
  email: consent.partial().optional(),
  sms: consent.partial().optional(),
  phone: consent.partial().optional(),
  do_not_contact: z.boolean().optional(),
  tracking: z.boolean().optional(),
  data_sharing: z.boolean().optional(),
  version: z.number().int().min(1),
});

// ---------------------------------------------------------------- analytics

export const analyticsQuerySchema = z.object({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  interval: z.enum(['day', 'week', 'month']).default('day'),
  template_id: z.uuid().optional(),
  campaign_id: z.uuid().optional(),
  segment_id: z.uuid().optional(),
});
export type AnalyticsQuery = z.input<typeof analyticsQuerySchema>;

/** Counts of emails (not events) that reached each stage; opens/clicks human and machine apart. */
export const engagementSchema = z.object({
  sent: z.number().int(),
  delivered: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  replied: z.number().int(),
  bounced: z.number().int(),
  complained: z.number().int(),
  unsubscribed: z.number().int(),
  /** Emails opened / clicked only by machines (privacy proxies, scanners). */
  machine_opened: z.number().int(),
  machine_clicked: z.number().int(),
  /** Rates over sent (delivery, bounce) or over delivered-or-sent (the rest), 0..1. */
  delivery_rate: z.number(),
  open_rate: z.number(),
  click_rate: z.number(),
  reply_rate: z.number(),
  bounce_rate: z.number(),
  unsubscribe_rate: z.number(),
  machine_open_rate: z.number(),
  machine_click_rate: z.number(),
});
export type Engagement = z.infer<typeof engagementSchema>;

export const communicationAnalyticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  interval: z.enum(['day', 'week', 'month']),
  totals: engagementSchema,
  series: z.array(engagementSchema.extend({ period: z.string() })),
  templates: z.array(
    engagementSchema.extend({ template_id: z.string(), name: z.string(), version: z.number().int() }),
  ),
  campaigns: z.array(engagementSchema.extend({ campaign_id: z.string(), name: z.string() })),
  segments: z.array(engagementSchema.extend({ segment_id: z.string().nullable(), name: z.string() })),
});
export type CommunicationAnalytics = z.infer<typeof communicationAnalyticsSchema>;

/** GET /communications/status: how mail leaves this installation. */
export const mailStatusSchema = z.object({
  transport: z.enum(['smtp', 'outbox']),
  from: z.string(),
  tracking_base_url: z.string().nullable(),
});
