-- Email communication: versioned templates, campaigns to segments, every email in and out
-- (threaded by Message-ID), the tracked links of each, the events that happened to it, and the
-- history of each customer's communication preferences.

CREATE TABLE email_templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text,
  category text NOT NULL DEFAULT 'marketing' CHECK (category IN ('marketing', 'transactional')),
  -- the newest row of email_template_versions; an edit of subject or bodies adds a version
  current_version integer NOT NULL DEFAULT 1,
  -- templates that sent mail are archived, not deleted, so reports keep their name
  archived boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX email_templates_name_key ON email_templates (lower(name)) WHERE NOT archived;

CREATE TABLE email_template_versions (
  template_id uuid NOT NULL REFERENCES email_templates(id) ON DELETE CASCADE,
  version integer NOT NULL,
  subject text NOT NULL,
  body_html text NOT NULL,
  body_text text NOT NULL,
  created_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template_id, version)
);

CREATE TABLE email_campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  template_id uuid NOT NULL REFERENCES email_templates(id),
  template_version integer NOT NULL,
  segment_id uuid REFERENCES segments(id) ON DELETE SET NULL,
  -- kept for reports after the segment is gone
  segment_name text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  job_id uuid,
  recipients integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- who a campaign left out, and why (do-not-contact, unsubscribed, no address)
CREATE TABLE email_campaign_skips (
  campaign_id uuid NOT NULL REFERENCES email_campaigns(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  reason text NOT NULL,
  PRIMARY KEY (campaign_id, customer_id)
);

CREATE TABLE emails (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  -- the first message's id: replies (In-Reply-To, References, the reply address) join its thread
  thread_id uuid NOT NULL,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  -- the customer's side: recipient of outbound mail, sender of inbound mail
  email_address text NOT NULL,
  from_address text NOT NULL,
  subject text NOT NULL,
  body_text text,
  body_html text,
  -- without angle brackets; generated for outbound mail before it is queued
  message_id text NOT NULL,
  in_reply_to text,
  reference_ids text[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('queued', 'outbox', 'failed', 'sent', 'delivered', 'opened',
                                         'clicked', 'replied', 'bounced', 'received')),
  category text NOT NULL DEFAULT 'transactional' CHECK (category IN ('marketing', 'transactional')),
  transport text CHECK (transport IN ('smtp', 'outbox')),
  -- false when the customer turned tracking off: no pixel, no rewritten links
  tracking boolean NOT NULL DEFAULT true,
  -- unguessable: the open pixel, the unsubscribe link and the reply address carry it
  tracking_token text NOT NULL,
  template_id uuid REFERENCES email_templates(id),
  template_version integer,
  campaign_id uuid REFERENCES email_campaigns(id) ON DELETE SET NULL,
  sent_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  delivered_at timestamptz,
  -- first human open and click; machine events only count below
  opened_at timestamptz,
  clicked_at timestamptz,
  replied_at timestamptz,
  bounced_at timestamptz,
  complained_at timestamptz,
  unsubscribed_at timestamptz,
  machine_opened_at timestamptz,
  machine_clicked_at timestamptz,
  open_count integer NOT NULL DEFAULT 0,
  click_count integer NOT NULL DEFAULT 0,
  machine_open_count integer NOT NULL DEFAULT 0,
  machine_click_count integer NOT NULL DEFAULT 0
);
-- how far an outbound email got: status only moves to a higher stage (a bounce sits beside sent)
CREATE FUNCTION crm_email_stage(status text) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE status WHEN 'sent' THEN 1 WHEN 'bounced' THEN 1 WHEN 'delivered' THEN 2 WHEN 'opened' THEN 3
                     WHEN 'clicked' THEN 4 WHEN 'replied' THEN 5 ELSE 0 END
$$;

CREATE UNIQUE INDEX emails_message_id_key ON emails (message_id);
CREATE UNIQUE INDEX emails_tracking_token_key ON emails (tracking_token);
CREATE INDEX emails_customer_idx ON emails (customer_id, created_at DESC);
CREATE INDEX emails_thread_idx ON emails (thread_id, created_at);
CREATE INDEX emails_campaign_idx ON emails (campaign_id, status) WHERE campaign_id IS NOT NULL;
CREATE INDEX emails_template_idx ON emails (template_id, template_version) WHERE template_id IS NOT NULL;
CREATE INDEX emails_created_idx ON emails (created_at) WHERE direction = 'outbound';

-- the links of an outbound email's HTML, each behind its own unguessable token
CREATE TABLE email_links (
  token text PRIMARY KEY,
  email_id uuid NOT NULL REFERENCES emails(id) ON DELETE CASCADE,
  position integer NOT NULL,
  url text NOT NULL,
  UNIQUE (email_id, position)
);

CREATE TABLE email_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email_id uuid NOT NULL REFERENCES emails(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('delivered', 'opened', 'clicked', 'replied', 'bounced',
                                     'complained', 'unsubscribed')),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  -- a privacy proxy or link scanner, not a person; reason says how we knew
  machine boolean NOT NULL DEFAULT false,
  machine_reason text,
  link_position integer,
  user_agent text,
  -- truncated before it is stored: /24 of IPv4, /48 of IPv6
  ip text,
  source text NOT NULL CHECK (source IN ('pixel', 'link', 'track', 'inbound', 'unsubscribe')),
  -- a provider's event id or a natural key: the same event reported twice is stored once
  dedupe_key text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX email_events_dedupe_key ON email_events (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX email_events_email_idx ON email_events (email_id, occurred_at);
CREATE INDEX email_events_occurred_idx ON email_events (occurred_at, kind);

CREATE TABLE communication_preference_changes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  changed_at timestamptz NOT NULL DEFAULT now(),
  source text NOT NULL CHECK (source IN ('staff', 'unsubscribe_link', 'one_click', 'complaint', 'bounce')),
  changed_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  email_id uuid REFERENCES emails(id) ON DELETE SET NULL,
  -- path (email.marketing, do_not_contact, ...) -> [before, after]
  changes jsonb NOT NULL
);
CREATE INDEX communication_preference_changes_customer_idx
  ON communication_preference_changes (customer_id, changed_at DESC);
