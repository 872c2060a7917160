import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { EmailEventKind, EmailStatus } from '../../shared/communications.js';

/** Kysely table types, kept by hand beside migrations/ (the SQL is the source of truth). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A timestamp with a database default: optional on insert. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** numeric comes back as a string from both engines: exact, converted in the mappers. */
type Numeric = ColumnType<string, number | string | undefined, number | string>;
type Json = JSONColumnType<Record<string, unknown>, string | undefined, string>;

export interface AuthUsersTable {
  id: Generated<string>;
  email: string | null;
  phone: string | null;
  encrypted_password: string | null;
  raw_user_meta_data: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  raw_app_meta_data: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: NullableTimestamp;
  updated_at: NullableTimestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface StaffUsersTable {
  id: Generated<string>;
  email: string;
  name: string | null;
  password_hash: string | null;
  role: 'admin' | 'manager' | 'agent' | 'viewer';
  disabled: Generated<boolean>;
  auth_user_id: string | null;
  role_source: Generated<'crm' | 'app_metadata'>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface StaffSessionsTable {
  id: string;
  staff_id: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  staff_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: DefaultTimestamp;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface CustomersTable {
  id: Generated<string>;
  user_id: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  acquisition_date: DefaultTimestamp;
  acquisition_source: string | null;
  preferred_contact_method: Generated<'email' | 'phone' | 'sms'>;
  communication_preferences: Json;
  owner_id: string | null;
  /** Set by hand: automatic lifecycle rules leave this customer's stage alone until cleared. */
  lifecycle_stage_manual: Generated<boolean>;
  search_text: Generated<string>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** Anonymised on a data-subject request (migration 019); the record stays for accounting. */
  erased_at: NullableTimestamp;
}

/**
 * A customer's order metrics, predicted value, status, stage and country, one row per customer
 * (migrations 026 and 027): kept apart from customers so that orders and model refits rewrite a
 * narrow row with few indexes.
 */
export interface CustomerMetricsTable {
  customer_id: string;
  total_orders: Generated<number>;
  lifetime_value: Numeric;
  average_order_value: Numeric;
  first_order_date: NullableTimestamp;
  last_order_date: NullableTimestamp;
  /** The model's predicted 12-month value (clv), 0 without a prediction. */
  customer_value: Numeric;
  /** Status and stage move with orders, so they live here, and country beside them for the filter index (027). */
  customer_status: Generated<'active' | 'inactive' | 'prospect' | 'churned'>;
  lifecycle_stage: Generated<'lead' | 'customer' | 'loyal' | 'at_risk' | 'lost'>;
  /** The primary address's country, copied for lists and filters (syncPrimaryContact). */
  country: string | null;
}

/** Emails of erased people, as crm_email_hash() only: refused when they come back. */
export interface ErasedIdentitiesTable {
  email_hash: string;
}

export interface CustomerEmailsTable {
  id: Generated<string>;
  customer_id: string;
  email: string;
  label: string | null;
  is_primary: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface CustomerPhonesTable {
  id: Generated<string>;
  customer_id: string;
  phone: string;
  label: string | null;
  is_primary: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface CustomerAddressesTable {
  id: Generated<string>;
  customer_id: string;
  label: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
  is_primary: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface ProductsTable {
  id: Generated<string>;
  sku: string;
  name: string;
  category: string | null;
  price: Numeric;
  created_at: DefaultTimestamp;
}

export interface OrdersTable {
  id: Generated<string>;
  customer_id: string;
  external_id: string | null;
  status: Generated<'pending' | 'paid' | 'fulfilled' | 'cancelled' | 'refunded'>;
  currency: Generated<string>;
  total: Numeric;
  item_count: Generated<number>;
  placed_at: DefaultTimestamp;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface OrderItemsTable {
  id: Generated<string>;
  order_id: string;
  product_id: string;
  sku: string;
  name: string;
  category: string | null;
  quantity: number;
  unit_price: Numeric;
  line_total: Numeric;
}

export interface CustomerEventsTable {
  id: Generated<string>;
  customer_id: string;
  kind: string;
  occurred_at: DefaultTimestamp;
  actor_id: string | null;
  summary: string;
  data: Json;
}

export interface TagsTable {
  id: Generated<string>;
  name: string;
  color: Generated<string>;
  description: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CustomerTagsTable {
  customer_id: string;
  tag_id: string;
  tagged_by: string | null;
  tagged_at: DefaultTimestamp;
}

export interface SegmentsTable {
  id: Generated<string>;
  name: string;
  description: string | null;
  criteria: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  auto_update: Generated<boolean>;
  customer_count: Generated<number>;
  created_by: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SegmentMembersTable {
  segment_id: string;
  customer_id: string;
  added_at: DefaultTimestamp;
}

/** RFM scores of customers with kept orders (migration 006); no row = not scored. */
export interface ClvModelsTable {
  id: Generated<string>;
  fitted_at: DefaultTimestamp;
  duration_ms: number;
  created_by: string | null;
  calibration_start: ColumnType<string, string, string>; // select as ::text (pg and PGlite parse dates differently)
  calibration_end: ColumnType<string, string, string>; // select as ::text (pg and PGlite parse dates differently)
  observation_end: ColumnType<string, string, string>; // select as ::text (pg and PGlite parse dates differently)
  customers: number;
  repeat_customers: number;
  r: number;
  alpha: number;
  a: number;
  b: number;
  bgnbd_log_likelihood: number;
  bgnbd_iterations: number;
  bgnbd_converged: boolean;
  p: number | null;
  q: number | null;
  gamma: number | null;
  gg_log_likelihood: number | null;
  gg_customers: number | null;
  gg_iterations: number | null;
  gg_converged: boolean | null;
  holdout: ColumnType<unknown, string | null, string | null>;
  customers_scored: Generated<number>;
}

export interface ClvBuyerSummariesTable {
  customer_id: string;
  first_day: string;
  last_day: string;
  order_days: number;
  spend: string;
  first_spend: string;
  calibration_order_days: number;
  calibration_last_day: string | null;
  calibration_spend: string;
}

export interface CustomerPredictionsTable {
  customer_id: string;
  model_id: string;
  frequency: number;
  recency_weeks: number;
  age_weeks: number;
  p_alive: number;
  expected_purchases_90d: number;
  expected_purchases_365d: number;
  expected_order_value: ColumnType<string | null, string | number | null, string | number | null>;
  predicted_value: ColumnType<string, string | number, string | number>;
  scored_at: DefaultTimestamp;
}

/** Product affinity (migration 022): written only by crm_recompute_product_affinity(). */
export interface ProductAffinityRunsTable {
  id: Generated<string>;
  computed_at: DefaultTimestamp;
  duration_ms: number;
  created_by: string | null;
  orders: number;
  products: number;
  rules: number;
  min_orders: number;
}

export interface ProductOrderCountsTable {
  product_id: string;
  orders: number;
}

export interface ProductAffinityTable {
  product_id: string;
  also_product_id: string;
  orders_together: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface CustomerRfmTable {
  customer_id: string;
  recency: number;
  frequency: number;
  monetary: number;
  rfm_group: string;
  scored_at: DefaultTimestamp;
}

export interface LifecycleTransitionsTable {
  id: Generated<string>;
  customer_id: string;
  from_stage: string;
  to_stage: string;
  reason: string;
  source: 'auto' | 'manual';
  actor_id: string | null;
  occurred_at: DefaultTimestamp;
}

export interface RfmRunsTable {
  id: Generated<string>;
  started_at: Timestamp;
  finished_at: DefaultTimestamp;
  customers_scored: string;
  customers_changed: string;
}

export interface JobsTable {
  id: Generated<string>;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<'queued' | 'running' | 'succeeded' | 'failed'>;
  run_at: DefaultTimestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_until: Date | null;
  progress_done: Generated<number>;
  progress_total: number | null;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  dedupe_key: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface SegmentDirtyCustomersTable {
  customer_id: string;
  marked_at: DefaultTimestamp;
}

export interface SegmentSnapshotsTable {
  segment_id: string;
  day: ColumnType<string, string, string>; // select as ::text (pg and PGlite parse dates differently)
  customer_count: number;
}

type Versioned = { version: Generated<number>; created_at: DefaultTimestamp; updated_at: DefaultTimestamp };

export interface TasksTable extends Versioned {
  id: Generated<string>;
  customer_id: string | null;
  title: string;
  description: string | null;
  due_at: Date | null;
  remind_at: Date | null;
  reminded_at: Date | null;
  assignee_id: string | null;
  done: Generated<boolean>;
  done_at: Date | null;
  created_by: string | null;
}

export interface NotesTable extends Versioned {
  id: Generated<string>;
  customer_id: string;
  content: string;
  note_type: Generated<'general' | 'support' | 'sales' | 'billing'>;
  pinned: Generated<boolean>;
  created_by: string | null;
  updated_by: string | null;
}

export interface NoteRevisionsTable {
  id: Generated<number>;
  note_id: string;
  version: number;
  content: string;
  note_type: string;
  edited_by: string | null;
  edited_at: DefaultTimestamp;
}

export interface InteractionsTable extends Versioned {
  id: Generated<string>;
  customer_id: string;
  interaction_type: 'email' | 'phone' | 'chat' | 'meeting' | 'order';
  subject: string;
  description: string | null;
  outcome: string | null;
  occurred_at: DefaultTimestamp;
  follow_up_date: Date | null;
  follow_up_task_id: string | null;
  created_by: string | null;
}

export interface TicketSlaPoliciesTable {
  priority: 'low' | 'normal' | 'high' | 'urgent';
  first_response_minutes: number;
  resolution_minutes: number;
  updated_at: DefaultTimestamp;
}

export interface TicketsTable extends Versioned {
  id: Generated<string>;
  number: Generated<number>;
  customer_id: string | null;
  subject: string;
  description: string | null;
  status: Generated<'open' | 'pending' | 'resolved' | 'closed'>;
  priority: Generated<'low' | 'normal' | 'high' | 'urgent'>;
  assignee_id: string | null;
  sla_due_at: Date;
  first_response_due_at: Date;
  first_response_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  external_source: string | null;
  external_id: string | null;
  created_by: string | null;
}

export interface TicketCommentsTable {
  id: Generated<string>;
  ticket_id: string;
  body: string;
  visibility: 'public' | 'internal';
  author_id: string | null;
  external_author: string | null;
  created_at: DefaultTimestamp;
}

export interface InboundDeliveriesTable {
  source: string;
  delivery_id: string;
  received_at: DefaultTimestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  recipient_id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  customer_id: string | null;
  actor_id: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: DefaultTimestamp;
  read_at: Date | null;
}

export interface EmailTemplatesTable {
  id: Generated<string>;
  name: string;
  description: string | null;
  category: Generated<'marketing' | 'transactional'>;
  current_version: Generated<number>;
  archived: Generated<boolean>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface EmailTemplateVersionsTable {
  template_id: string;
  version: number;
  subject: string;
  body_html: string;
  body_text: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface EmailCampaignsTable {
  id: Generated<string>;
  name: string;
  template_id: string;
  template_version: number;
  segment_id: string | null;
  segment_name: string;
  status: Generated<'queued' | 'sending' | 'sent' | 'failed'>;
  job_id: string | null;
  recipients: Generated<number>;
  skipped: Generated<number>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  finished_at: NullableTimestamp;
}

export interface EmailCampaignSkipsTable {
  campaign_id: string;
  customer_id: string;
  reason: string;
}

export interface EmailsTable {
  id: Generated<string>;
  customer_id: string;
  thread_id: string;
  direction: 'inbound' | 'outbound';
  email_address: string;
  from_address: string;
  subject: string;
  body_text: string | null;
  body_html: string | null;
  message_id: string;
  in_reply_to: string | null;
  reference_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: EmailStatus;
  category: Generated<'marketing' | 'transactional'>;
  transport: 'smtp' | 'outbox' | null;
  tracking: Generated<boolean>;
  tracking_token: string;
  template_id: string | null;
  template_version: number | null;
  campaign_id: string | null;
  sent_by: string | null;
  error: string | null;
  created_at: DefaultTimestamp;
  sent_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  opened_at: NullableTimestamp;
  clicked_at: NullableTimestamp;
  replied_at: NullableTimestamp;
  bounced_at: NullableTimestamp;
  complained_at: NullableTimestamp;
  unsubscribed_at: NullableTimestamp;
  machine_opened_at: NullableTimestamp;
  machine_clicked_at: NullableTimestamp;
  open_count: Generated<number>;
  click_count: Generated<number>;
  machine_open_count: Generated<number>;
  machine_click_count: Generated<number>;
}

export interface EmailLinksTable {
  token: string;
  email_id: string;
  position: number;
  url: string;
}

export interface EmailEventsTable {
  id: Generated<string>;
  email_id: string;
  kind: EmailEventKind;
  occurred_at: DefaultTimestamp;
  machine: Generated<boolean>;
  machine_reason: string | null;
  link_position: number | null;
  user_agent: string | null;
  ip: string | null;
  source: 'pixel' | 'link' | 'track' | 'inbound' | 'unsubscribe';
  dedupe_key: string | null;
  received_at: DefaultTimestamp;
}

export interface CommunicationPreferenceChangesTable {
  id: Generated<string>;
  customer_id: string;
  changed_at: DefaultTimestamp;
  source: 'staff' | 'unsubscribe_link' | 'one_click' | 'complaint' | 'bounce';
  changed_by: string | null;
  email_id: string | null;
  changes: ColumnType<Record<string, [boolean, boolean]>, string, string>;
}

type JsonArray<T> = ColumnType<T[], string | undefined, string>;

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: DefaultTimestamp;
  action: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  details: Json;
}

export interface ExportSchedulesTable {
  id: Generated<string>;
  name: string;
  cron: string;
  timezone: Generated<string>;
  format: 'csv' | 'xlsx' | 'pdf';
  fields: JsonArray<string>;
  selection: Json;
  purpose: Generated<'internal' | 'marketing'>;
  bom: Generated<boolean>;
  recipient_ids: JsonArray<string>;
  enabled: Generated<boolean>;
  next_run_at: NullableTimestamp;
  last_run_at: NullableTimestamp;
  last_export_id: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ExportsTable {
  id: Generated<string>;
  format: 'csv' | 'xlsx' | 'pdf';
  state: Generated<
    'pending_approval' | 'queued' | 'running' | 'completed' | 'failed' | 'rejected' | 'cancelled' | 'expired'
  >;
  fields: JsonArray<string>;
  selection: Json;
  selection_description: string;
  purpose: Generated<'internal' | 'marketing'>;
  bom: Generated<boolean>;
  title: string;
  masked_fields: JsonArray<string>;
  row_count: number | null;
  rows_written: Generated<number>;
  file_name: string;
  file_size: ColumnType<string | null, number | null | undefined, number | null>;
  storage_key: string | null;
  error: string | null;
  requested_by: string | null;
  requester_ip: string | null;
  approval_required: Generated<boolean>;
  approved_by: string | null;
  decided_at: NullableTimestamp;
  rejection_reason: string | null;
  schedule_id: string | null;
  job_id: string | null;
  created_at: DefaultTimestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  expires_at: NullableTimestamp;
}

/** Retention (migration 021): kept by the orders triggers; read through SQL (dates as to_char). */
export interface CustomerMonthsTable {
  customer_id: string;
  month: ColumnType<Date, string, string>;
  cohort: ColumnType<Date, string, string>;
  orders: number;
  revenue: Numeric;
  days: number;
  first_at: Timestamp;
  last_at: Timestamp;
  prev_at: NullableTimestamp;
  next_at: NullableTimestamp;
}

export interface DB {
  audit_log: AuditLogTable;
  export_schedules: ExportSchedulesTable;
  exports: ExportsTable;
  email_templates: EmailTemplatesTable;
  email_template_versions: EmailTemplateVersionsTable;
  email_campaigns: EmailCampaignsTable;
  email_campaign_skips: EmailCampaignSkipsTable;
  emails: EmailsTable;
  email_links: EmailLinksTable;
  email_events: EmailEventsTable;
  communication_preference_changes: CommunicationPreferenceChangesTable;
  tasks: TasksTable;
  notes: NotesTable;
  note_revisions: NoteRevisionsTable;
  interactions: InteractionsTable;
  ticket_sla_policies: TicketSlaPoliciesTable;
  tickets: TicketsTable;
  ticket_comments: TicketCommentsTable;
  inbound_deliveries: InboundDeliveriesTable;
  notifications: NotificationsTable;
  jobs: JobsTable;
  segment_dirty_customers: SegmentDirtyCustomersTable;
  segment_snapshots: SegmentSnapshotsTable;
  rfm_runs: RfmRunsTable;
  lifecycle_transitions: LifecycleTransitionsTable;
  customer_rfm: CustomerRfmTable;
  clv_models: ClvModelsTable;
  customer_predictions: CustomerPredictionsTable;
  customer_metrics: CustomerMetricsTable;
  clv_buyer_summaries: ClvBuyerSummariesTable;
  product_affinity_runs: ProductAffinityRunsTable;
  product_order_counts: ProductOrderCountsTable;
  product_affinity: ProductAffinityTable;
  tags: TagsTable;
  customer_tags: CustomerTagsTable;
  segments: SegmentsTable;
  segment_members: SegmentMembersTable;
  'auth.users': AuthUsersTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  api_tokens: ApiTokensTable;
  customers: CustomersTable;
  erased_identities: ErasedIdentitiesTable;
  customer_emails: CustomerEmailsTable;
  customer_phones: CustomerPhonesTable;
  customer_addresses: CustomerAddressesTable;
  products: ProductsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  customer_events: CustomerEventsTable;
  customer_months: CustomerMonthsTable;
}
