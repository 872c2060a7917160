-- A customer's status, lifecycle stage and country move beside their metrics, into
-- customer_metrics (issue 7: ingest ≥ 5,000 orders/s; decision 014).
--
-- Why: an order that moves a customer's stage (a lead's first order, a lapsed customer coming
-- back) rewrote the `customers` row, and a new row version there adds an entry to each of its 14
-- indexes, the trigram search index the dearest. In the ingest benchmark three orders in four do
-- that; it was half the WAL and a quarter of the time of a 10,000-order batch. Beside the metrics
-- the stage is written by the same row update as the metrics, and orders never write `customers`.
--
-- Country comes too: the filter bar's status + stage + country count is served by one index over
-- the three (migration 003's), and an index cannot span two tables. Split over two tables, that
-- count was a hash join of ~370,000 rows (190 ms); here it reads 10,001 index entries. Country is
-- the primary address's country copied for lists (syncPrimaryContact); it moves, not duplicates.
--
-- The table is rebuilt rather than updated in place, so it starts without a dead copy of every
-- row.
CREATE TABLE customer_metrics_next (
  customer_id uuid NOT NULL,
  total_orders integer NOT NULL DEFAULT 0,
  lifetime_value numeric(14, 2) NOT NULL DEFAULT 0,
  average_order_value numeric(14, 2) NOT NULL DEFAULT 0,
  first_order_date timestamptz,
  last_order_date timestamptz,
  customer_value numeric(14, 2) NOT NULL DEFAULT 0,
  customer_status text NOT NULL DEFAULT 'prospect'
    CONSTRAINT customer_metrics_customer_status_check CHECK (customer_status IN ('active', 'inactive', 'prospect', 'churned')),
  lifecycle_stage text NOT NULL DEFAULT 'lead'
    CONSTRAINT customer_metrics_lifecycle_stage_check CHECK (lifecycle_stage IN ('lead', 'customer', 'loyal', 'at_risk', 'lost')),
  country text
)
-- as in migration 026: the list reads this table by keyset under a LIMIT, no parallel walks
WITH (parallel_workers = 0);

INSERT INTO customer_metrics_next
SELECT m.customer_id, m.total_orders, m.lifetime_value, m.average_order_value, m.first_order_date,
       m.last_order_date, m.customer_value, c.customer_status, c.lifecycle_stage, c.country
FROM customer_metrics m
JOIN customers c ON c.id = m.customer_id;

-- drops migration 026's indexes and its dirty-segment trigger with the table; both are made again
DROP TABLE customer_metrics;
ALTER TABLE customer_metrics_next RENAME TO customer_metrics;
ALTER TABLE customer_metrics
  ADD CONSTRAINT customer_metrics_pkey PRIMARY KEY (customer_id),
  ADD CONSTRAINT customer_metrics_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE;

CREATE INDEX customer_metrics_ltv_idx ON customer_metrics (lifetime_value, customer_id);
CREATE INDEX customer_metrics_total_orders_idx ON customer_metrics (total_orders, customer_id);
CREATE INDEX customer_metrics_aov_idx ON customer_metrics (average_order_value, customer_id);
CREATE INDEX customer_metrics_value_idx ON customer_metrics (customer_value, customer_id);
CREATE INDEX customer_metrics_last_order_idx ON customer_metrics (last_order_date, customer_id);
-- the filter bar's counts (migration 003's index, moved). Country alone gets no index of its own:
-- every index here costs each order's metrics update an entry (~90 ms a 10,000-order batch), and
-- a country filter without status or stage reads this narrow table instead (a count stops at its
-- cap; a rare country is one pass over the table).
CREATE INDEX customer_metrics_status_stage_country_idx
  ON customer_metrics (customer_status, lifecycle_stage, country);

CREATE TRIGGER customer_metrics_dirty_updated AFTER UPDATE ON customer_metrics
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();

-- drops customers_status_stage_country_idx and customers_country_idx with their columns
ALTER TABLE customers DROP COLUMN customer_status, DROP COLUMN lifecycle_stage, DROP COLUMN country;

-- A new customer's row starts as a prospect and a lead, as the columns' defaults on customers
-- did; whoever creates a customer with another status or stage sets it here afterwards.
-- (crm_customer_metrics_inserted of migration 026 is unchanged: it inserts the defaults.)

-- The sign-up trigger of migration 019, unchanged except that status and stage are no longer
-- columns of customers (the defaults above are what it wrote). It never set a country.
CREATE OR REPLACE FUNCTION crm_handle_new_auth_user() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  existing uuid;
  created uuid;
  meta jsonb := coalesce(NEW.raw_user_meta_data, '{}'::jsonb);
BEGIN
  IF NEW.email IS NOT NULL
     AND EXISTS (SELECT 1 FROM erased_identities WHERE email_hash = crm_email_hash(NEW.email)) THEN
    RETURN NEW;
  END IF;

  -- a lead already known by email (imported, created by hand) is linked instead of duplicated
  IF NEW.email IS NOT NULL THEN
    SELECT e.customer_id INTO existing FROM customer_emails e WHERE lower(e.email) = lower(NEW.email);
  END IF;
  IF existing IS NOT NULL THEN
    UPDATE customers SET user_id = NEW.id, updated_at = now(), version = version + 1
      WHERE id = existing AND user_id IS NULL;
    INSERT INTO customer_events (customer_id, kind, occurred_at, summary, data)
      VALUES (existing, 'signed_up', coalesce(NEW.created_at, now()), 'Signed up on the platform',
              jsonb_build_object('user_id', NEW.id));
    RETURN NEW;
  END IF;

  INSERT INTO customers (user_id, first_name, last_name, email, phone, acquisition_date, acquisition_source)
  VALUES (NEW.id,
          nullif(coalesce(meta->>'first_name', split_part(meta->>'full_name', ' ', 1)), ''),
          nullif(coalesce(meta->>'last_name', nullif(substr(meta->>'full_name', length(split_part(meta->>'full_name', ' ', 1)) + 2), '')), ''),
          NEW.email, NEW.phone, coalesce(NEW.created_at, now()),
          coalesce(meta->>'acquisition_source', meta->>'utm_source', meta->>'source', 'signup'))
  RETURNING id INTO created;
  IF NEW.email IS NOT NULL THEN
    INSERT INTO customer_emails (customer_id, email, is_primary) VALUES (created, NEW.email, true);
  END IF;
  IF NEW.phone IS NOT NULL AND NEW.phone <> '' THEN
    INSERT INTO customer_phones (customer_id, phone, is_primary) VALUES (created, NEW.phone, true);
  END IF;
  PERFORM crm_refresh_customer_search(created);
  INSERT INTO customer_events (customer_id, kind, occurred_at, summary, data)
    VALUES (created, 'signed_up', coalesce(NEW.created_at, now()), 'Signed up on the platform',
            jsonb_build_object('user_id', NEW.id, 'source', meta->>'acquisition_source'));
  RETURN NEW;
END $$;
-- The lifecycle and metrics functions of migration 026, restated to read and write status and
-- stage on customer_metrics. The manual-stage flag stays on customers (staff set it, orders only
-- read it), and the customers row is still what is locked: retention (021) locks it too.

CREATE OR REPLACE FUNCTION crm_apply_lifecycle(target uuid) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  manual boolean;
  m customer_metrics%ROWTYPE;
  rules lifecycle_rules%ROWTYPE;
  next_stage text;
  why text;
BEGIN
  SELECT lifecycle_stage_manual INTO manual FROM customers WHERE id = target;
  IF NOT FOUND OR manual THEN RETURN; END IF;
  SELECT * INTO m FROM customer_metrics WHERE customer_id = target;
  SELECT * INTO rules FROM lifecycle_rules;
  SELECT e.stage, e.reason INTO next_stage, why
    FROM crm_lifecycle_eval(m.total_orders, m.first_order_date, m.last_order_date, now(), rules) e;
  IF next_stage = m.lifecycle_stage THEN RETURN; END IF;
  UPDATE customer_metrics SET lifecycle_stage = next_stage WHERE customer_id = target;
  INSERT INTO lifecycle_transitions (customer_id, from_stage, to_stage, reason, source)
    VALUES (target, m.lifecycle_stage, next_stage, why, 'auto');
  INSERT INTO customer_events (customer_id, kind, summary, data)
    VALUES (target, 'stage_changed', format('Stage %s → %s', m.lifecycle_stage, next_stage),
            jsonb_build_object('from', m.lifecycle_stage, 'to', next_stage, 'reason', why, 'source', 'auto'));
END $$;

CREATE OR REPLACE FUNCTION crm_apply_lifecycle_all() RETURNS bigint
  LANGUAGE sql AS $$
  WITH evaluated AS (
    SELECT m.customer_id AS id, m.lifecycle_stage AS from_stage, e.stage AS to_stage, e.reason
    FROM customers c
    JOIN customer_metrics m ON m.customer_id = c.id
    CROSS JOIN lifecycle_rules r
    CROSS JOIN LATERAL crm_lifecycle_eval(m.total_orders, m.first_order_date, m.last_order_date, now(), r) e
    WHERE NOT c.lifecycle_stage_manual AND e.stage <> m.lifecycle_stage
  ), updated AS (
    UPDATE customer_metrics m SET lifecycle_stage = e.to_stage FROM evaluated e
    WHERE m.customer_id = e.id RETURNING m.customer_id
  ), transitions AS (
    INSERT INTO lifecycle_transitions (customer_id, from_stage, to_stage, reason, source)
    SELECT id, from_stage, to_stage, reason, 'auto' FROM evaluated
  ), events AS (
    INSERT INTO customer_events (customer_id, kind, summary, data)
    SELECT id, 'stage_changed', format('Stage %s → %s', from_stage, to_stage),
           jsonb_build_object('from', from_stage, 'to', to_stage, 'reason', reason, 'source', 'auto')
    FROM evaluated
  )
  SELECT count(*) FROM updated;
$$;

-- The status now moves in the same row update as the metrics (one statement may not update a
-- row twice), so a prospect with orders becomes active here, as before.
CREATE OR REPLACE FUNCTION crm_recompute_all_metrics() RETURNS bigint
  LANGUAGE sql AS $$
  WITH m AS (
    SELECT cm.customer_id AS id,
           count(o.id)::int AS n,
           coalesce(sum(o.total), 0) AS revenue,
           min(o.placed_at) AS first_at,
           max(o.placed_at) AS last_at
    FROM customer_metrics cm
    LEFT JOIN orders o ON o.customer_id = cm.customer_id AND o.status IN ('paid', 'fulfilled')
    GROUP BY cm.customer_id
  ), u AS (
    UPDATE customer_metrics cm SET
      total_orders = m.n,
      lifetime_value = m.revenue,
      average_order_value = CASE WHEN m.n > 0 THEN round(m.revenue / m.n, 2) ELSE 0 END,
      first_order_date = m.first_at,
      last_order_date = m.last_at,
      customer_status = CASE WHEN m.n > 0 AND cm.customer_status = 'prospect' THEN 'active' ELSE cm.customer_status END
    FROM m
    WHERE cm.customer_id = m.id
      AND ((cm.total_orders, cm.lifetime_value, cm.first_order_date, cm.last_order_date)
           IS DISTINCT FROM (m.n, m.revenue::numeric(14, 2), m.first_at, m.last_at)
           OR (m.n > 0 AND cm.customer_status = 'prospect'))
    RETURNING 1
  )
  SELECT count(*) FROM u;
$$;

-- A batch of customers (order ingest and bulk order changes): metrics, status and stage in one
-- update of customer_metrics, only where one of them moved; customers is only read.
CREATE OR REPLACE FUNCTION crm_refresh_customers_metrics(ids uuid[]) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  rules lifecycle_rules;
BEGIN
  PERFORM 1 FROM customers WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
  SELECT * INTO rules FROM lifecycle_rules;

  WITH m AS (
    SELECT t.id, a.n, a.revenue, a.first_at, a.last_at
    FROM unnest(ids) AS t(id)
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, coalesce(sum(o.total), 0) AS revenue,
             min(o.placed_at) AS first_at, max(o.placed_at) AS last_at
      FROM orders o WHERE o.customer_id = t.id AND o.status IN ('paid', 'fulfilled')
    ) a
  ), next AS (
    SELECT cm.customer_id AS id, m.n, m.revenue, m.first_at, m.last_at,
           cm.lifecycle_stage AS from_stage,
           CASE WHEN c.lifecycle_stage_manual THEN cm.lifecycle_stage ELSE e.stage END AS to_stage,
           CASE WHEN m.n > 0 AND cm.customer_status = 'prospect' THEN 'active' ELSE cm.customer_status END AS to_status,
           cm.customer_status AS from_status,
           e.reason
    FROM m
    CROSS JOIN LATERAL (SELECT * FROM customer_metrics WHERE customer_id = m.id) cm
    CROSS JOIN LATERAL (SELECT lifecycle_stage_manual FROM customers WHERE id = m.id) c
    CROSS JOIN LATERAL crm_lifecycle_eval(m.n, m.first_at, m.last_at, now(), rules) e
  ), metrics AS (
    UPDATE customer_metrics cm SET
      total_orders = x.n,
      lifetime_value = x.revenue,
      average_order_value = CASE WHEN x.n > 0 THEN round(x.revenue / x.n, 2) ELSE 0 END,
      first_order_date = x.first_at,
      last_order_date = x.last_at,
      customer_status = x.to_status,
      lifecycle_stage = x.to_stage
    FROM next x
    WHERE cm.customer_id = x.id
      AND ((cm.total_orders, cm.lifetime_value, cm.first_order_date, cm.last_order_date)
           IS DISTINCT FROM (x.n, x.revenue::numeric(14, 2), x.first_at, x.last_at)
           OR x.to_status <> x.from_status OR x.to_stage <> x.from_stage)
  ), changed AS (
    SELECT id, from_stage, to_stage, reason FROM next WHERE to_stage <> from_stage
  ), transitions AS (
    INSERT INTO lifecycle_transitions (customer_id, from_stage, to_stage, reason, source)
    SELECT id, from_stage, to_stage, reason, 'auto' FROM changed
  )
  INSERT INTO customer_events (customer_id, kind, summary, data)
  SELECT id, 'stage_changed', format('Stage %s → %s', from_stage, to_stage),
         jsonb_build_object('from', from_stage, 'to', to_stage, 'reason', reason, 'source', 'auto')
  FROM changed;
END $$;
