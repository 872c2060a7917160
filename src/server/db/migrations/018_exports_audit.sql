-- Exports of customers (one row per file, its state and its storage), their schedules, and the
-- append-only audit log of who exported, downloaded, approved, erased, signed in or changed roles.

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL,
  -- kept as text as well as by id: the log outlives staff accounts
  actor_id uuid,
  actor_email text,
  actor_name text,
  subject_type text,
  subject_id text,
  ip text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, at DESC);

-- Append-only: the database itself refuses to change or remove an entry, whoever asks.
CREATE OR REPLACE FUNCTION crm_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION crm_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION crm_audit_log_append_only();

CREATE TABLE export_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  cron text NOT NULL,
  timezone text NOT NULL DEFAULT 'UTC',
  format text NOT NULL CHECK (format IN ('csv', 'xlsx', 'pdf')),
  fields jsonb NOT NULL,
  selection jsonb NOT NULL,
  purpose text NOT NULL DEFAULT 'internal' CHECK (purpose IN ('internal', 'marketing')),
  bom boolean NOT NULL DEFAULT false,
  recipient_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
  enabled boolean NOT NULL DEFAULT true,
  next_run_at timestamptz,
  last_run_at timestamptz,
  last_export_id uuid,
  -- a scheduled run exports with its creator's permissions (masking follows them)
  created_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX export_schedules_due_idx ON export_schedules (next_run_at) WHERE enabled;

CREATE TABLE exports (
  -- random v4 UUIDs: 122 unguessable bits, and downloads also check who asks
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  format text NOT NULL CHECK (format IN ('csv', 'xlsx', 'pdf')),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN (
    'pending_approval', 'queued', 'running', 'completed', 'failed', 'rejected', 'cancelled', 'expired')),
  fields jsonb NOT NULL,
  selection jsonb NOT NULL,
  selection_description text NOT NULL,
  purpose text NOT NULL DEFAULT 'internal' CHECK (purpose IN ('internal', 'marketing')),
  bom boolean NOT NULL DEFAULT false,
  title text NOT NULL,
  -- personal fields written masked because the requester lacked export:pii
  masked_fields jsonb NOT NULL DEFAULT '[]'::jsonb,
  row_count integer,
  rows_written integer NOT NULL DEFAULT 0,
  file_name text NOT NULL,
  file_size bigint,
  -- where the finished file lives under the export folder (set only once it is complete)
  storage_key text,
  error text,
  requested_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  requester_ip text,
  approval_required boolean NOT NULL DEFAULT false,
  approved_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  decided_at timestamptz,
  rejection_reason text,
  schedule_id uuid REFERENCES export_schedules(id) ON DELETE SET NULL,
  job_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  expires_at timestamptz
);
CREATE INDEX exports_requested_idx ON exports (requested_by, created_at DESC, id DESC);
CREATE INDEX exports_created_idx ON exports (created_at DESC, id DESC);
CREATE INDEX exports_expiry_idx ON exports (expires_at) WHERE state = 'completed';
