-- Service work (issue 4): notes, interactions, tickets, tasks and notifications.
-- Every editable record carries `version` (optimistic concurrency: a stale edit gets a 409).

-- Follow-ups and tasks, optionally about a customer.
CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid REFERENCES customers (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text,
  due_at timestamptz,
  -- when to remind the assignee; the reminder job sets reminded_at once it has delivered
  remind_at timestamptz,
  reminded_at timestamptz,
  assignee_id uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  done boolean NOT NULL DEFAULT false,
  done_at timestamptz,
  created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tasks_assignee_open_idx ON tasks (assignee_id, due_at) WHERE NOT done;
CREATE INDEX tasks_customer_idx ON tasks (customer_id, created_at DESC);
CREATE INDEX tasks_reminder_due_idx ON tasks (remind_at) WHERE reminded_at IS NULL AND NOT done;

CREATE TABLE notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- markdown source; rendered without raw HTML
  content text NOT NULL CHECK (length(content) BETWEEN 1 AND 20000),
  note_type text NOT NULL DEFAULT 'general' CHECK (note_type IN ('general', 'support', 'sales', 'billing')),
  pinned boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  updated_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_customer_idx ON notes (customer_id, pinned DESC, created_at DESC);

-- Every earlier text of a note (its edit history), written before an edit replaces it.
CREATE TABLE note_revisions (
  id bigserial PRIMARY KEY,
  note_id uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  version int NOT NULL,
  content text NOT NULL,
  note_type text NOT NULL,
  edited_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  edited_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (note_id, version)
);

CREATE TABLE interactions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  interaction_type text NOT NULL CHECK (interaction_type IN ('email', 'phone', 'chat', 'meeting', 'order')),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  description text,
  outcome text,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  follow_up_date timestamptz,
  -- the task its follow-up date created
  follow_up_task_id uuid REFERENCES tasks (id) ON DELETE SET NULL,
  created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX interactions_customer_idx ON interactions (customer_id, occurred_at DESC);

-- How long each priority may take (an administrator edits them).
CREATE TABLE ticket_sla_policies (
  priority text PRIMARY KEY CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  first_response_minutes int NOT NULL CHECK (first_response_minutes > 0),
  resolution_minutes int NOT NULL CHECK (resolution_minutes > 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ticket_sla_policies (priority, first_response_minutes, resolution_minutes) VALUES
  ('urgent', 60, 240), ('high', 240, 1440), ('normal', 1440, 4320), ('low', 4320, 10080);

CREATE TABLE tickets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- the short number people quote ("#1042")
  number bigserial UNIQUE,
  customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  description text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  assignee_id uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  -- from the priority's policy when created (and when the priority changes)
  sla_due_at timestamptz NOT NULL,
  first_response_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  -- a ticket from an external help desk: its system and id (idempotent inbound updates)
  external_source text,
  external_id text,
  created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (external_source, external_id)
);
CREATE INDEX tickets_queue_idx ON tickets (status, sla_due_at);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, status);
CREATE INDEX tickets_customer_idx ON tickets (customer_id, created_at DESC);

CREATE TABLE ticket_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  -- a public reply (seen by the customer) or an internal comment
  visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
  author_id uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  -- who wrote it in an external help desk, when it came from there
  external_author text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, created_at);

-- Signed inbound deliveries already processed, so a replay is refused.
CREATE TABLE inbound_deliveries (
  source text NOT NULL,
  delivery_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, delivery_id)
);

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  -- mention, task_reminder, task_assigned, ticket_assigned, ...
  kind text NOT NULL,
  title text NOT NULL,
  body text,
  -- where the app takes the reader ("/customers/…", "/tickets/…")
  link text,
  customer_id uuid REFERENCES customers (id) ON DELETE CASCADE,
  actor_id uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE read_at IS NULL;
