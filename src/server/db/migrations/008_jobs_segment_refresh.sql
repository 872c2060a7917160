-- Background jobs, and what keeps automatic segments current.

-- A job queue in the database, so several server processes share it and each job runs once:
-- a worker claims a due job with FOR UPDATE SKIP LOCKED and holds a lease (`locked_until`);
-- a job whose worker died is claimed again when its lease runs out.
CREATE TABLE jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0,
  max_attempts int NOT NULL DEFAULT 3,
  locked_until timestamptz,
  progress_done int NOT NULL DEFAULT 0,
  progress_total int,
  result jsonb,
  error text,
  -- Scheduled work is enqueued by every process; the key makes each period's job exist once.
  dedupe_key text,
  created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (locked_until) WHERE status = 'running';
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL;

-- Customers whose automatic-segment membership may have changed. Triggers on everything the
-- criteria read add them (in the transaction of the change); the segment worker takes them in
-- batches, re-evaluates only those customers and deletes them. No rows while there are no
-- automatic segments.
CREATE TABLE segment_dirty_customers (
  customer_id uuid PRIMARY KEY,
  marked_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION crm_mark_customers_dirty(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM segments WHERE auto_update) THEN
    INSERT INTO segment_dirty_customers (customer_id)
    SELECT DISTINCT u FROM unnest(ids) AS u WHERE u IS NOT NULL
    ON CONFLICT (customer_id) DO NOTHING;
  END IF;
END $$;

-- One function per transition-table shape: customers are keyed by `id`, the rest by `customer_id`.
CREATE OR REPLACE FUNCTION crm_dirty_customers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_mark_customers_dirty(ARRAY(SELECT id FROM changed_rows));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_dirty_related_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_mark_customers_dirty(ARRAY(SELECT customer_id FROM changed_rows));
  RETURN NULL;
END $$;

-- Statement-level triggers: a bulk change costs one insert, not one per row.
CREATE TRIGGER customers_dirty_inserted AFTER INSERT ON customers
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_customers_changed();
CREATE TRIGGER customers_dirty_updated AFTER UPDATE ON customers
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_customers_changed();

CREATE TRIGGER customer_tags_dirty_inserted AFTER INSERT ON customer_tags
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_tags_dirty_deleted AFTER DELETE ON customer_tags
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();

CREATE TRIGGER orders_dirty_inserted AFTER INSERT ON orders
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER orders_dirty_updated AFTER UPDATE ON orders
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER orders_dirty_deleted AFTER DELETE ON orders
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();

CREATE TRIGGER customer_emails_dirty_inserted AFTER INSERT ON customer_emails
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_emails_dirty_updated AFTER UPDATE ON customer_emails
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_emails_dirty_deleted AFTER DELETE ON customer_emails
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_phones_dirty_inserted AFTER INSERT ON customer_phones
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_phones_dirty_updated AFTER UPDATE ON customer_phones
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_phones_dirty_deleted AFTER DELETE ON customer_phones
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_addresses_dirty_inserted AFTER INSERT ON customer_addresses
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_addresses_dirty_updated AFTER UPDATE ON customer_addresses
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();
CREATE TRIGGER customer_addresses_dirty_deleted AFTER DELETE ON customer_addresses
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();

-- Hand-picked membership can feed automatic segments ("in segment X"). Automatic membership is
-- left out: the refresh evaluates segments in dependency order, and marking its own changes
-- would make every refresh evaluate its customers twice.
CREATE OR REPLACE FUNCTION crm_dirty_manual_members_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_mark_customers_dirty(ARRAY(
    SELECT cr.customer_id FROM changed_rows cr JOIN segments s ON s.id = cr.segment_id
    WHERE NOT s.auto_update));
  RETURN NULL;
END $$;
CREATE TRIGGER segment_members_dirty_inserted AFTER INSERT ON segment_members
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_manual_members_changed();
CREATE TRIGGER segment_members_dirty_deleted AFTER DELETE ON segment_members
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_manual_members_changed();

-- Segment size per day (the report's "size over time"); the scheduled refresh writes today's.
CREATE TABLE segment_snapshots (
  segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  day date NOT NULL,
  customer_count int NOT NULL,
  PRIMARY KEY (segment_id, day)
);
