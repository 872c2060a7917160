-- A customer's order metrics and predicted value move out of `customers` into a narrow table of
-- their own (issue 7: ingest and refit at 1M customers).
--
-- Why: these are the figures that change with every order and every model refit, and a row of
-- `customers` carries 21 indexes. Any update of an indexed column writes a new entry into every
-- one of them, so re-stating lifetime_value for a batch's 10,000 customers cost 2-2.5 s, and a
-- cold refit spent most of its 200 s re-stating customer_value on ~700,000 rows. Here a row has
-- its key and the five sort indexes the list pages by, and is a fifth of the width.
--
-- Every customer has exactly one row (made by the trigger below as the customer is inserted), so
-- the list and the criteria join it with an inner join and sort by its indexes. Status and stage
-- stay on `customers`: they change rarely and the filter bar's indexes read them there.
CREATE TABLE customer_metrics (
  customer_id uuid PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
  total_orders integer NOT NULL DEFAULT 0,
  lifetime_value numeric(14, 2) NOT NULL DEFAULT 0,
  average_order_value numeric(14, 2) NOT NULL DEFAULT 0,
  first_order_date timestamptz,
  last_order_date timestamptz,
  -- the customer-value model's predicted 12-month value (migration 020), 0 without a prediction
  customer_value numeric(14, 2) NOT NULL DEFAULT 0
)
-- No parallel scans of this table: the list reads it by keyset under a LIMIT of 51, where
-- starting workers costs more than it saves (a status + stage + country filter sorted by lifetime
-- value took 70-130 ms with a parallel walk of the sort index, 25-60 ms without); whole-table
-- reads of these few narrow columns are quick on one core.
WITH (parallel_workers = 0);

INSERT INTO customer_metrics (customer_id, total_orders, lifetime_value, average_order_value,
                              first_order_date, last_order_date, customer_value)
SELECT id, total_orders, lifetime_value, average_order_value, first_order_date, last_order_date, customer_value
FROM customers;

-- keyset indexes of the list's metric sorts, customer_id as the tie-breaker (as on customers)
CREATE INDEX customer_metrics_ltv_idx ON customer_metrics (lifetime_value, customer_id);
CREATE INDEX customer_metrics_total_orders_idx ON customer_metrics (total_orders, customer_id);
CREATE INDEX customer_metrics_aov_idx ON customer_metrics (average_order_value, customer_id);
CREATE INDEX customer_metrics_value_idx ON customer_metrics (customer_value, customer_id);
CREATE INDEX customer_metrics_last_order_idx ON customer_metrics (last_order_date, customer_id);

-- drops customers_ltv_idx, _total_orders_idx, _aov_idx, _value_idx, _last_order_idx and the
-- (status, ltv) and (stage, ltv) indexes with their columns; a status or stage filter sorted by
-- lifetime value now walks customer_metrics_ltv_idx and checks each customer by key
ALTER TABLE customers
  DROP COLUMN total_orders,
  DROP COLUMN lifetime_value,
  DROP COLUMN average_order_value,
  DROP COLUMN first_order_date,
  DROP COLUMN last_order_date,
  DROP COLUMN customer_value;

-- Each new customer starts with zero metrics: one insert per statement, however many customers.
CREATE OR REPLACE FUNCTION crm_customer_metrics_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_metrics (customer_id) SELECT id FROM changed_rows;
  RETURN NULL;
END $$;
CREATE TRIGGER customers_metrics_inserted AFTER INSERT ON customers
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_metrics_inserted();

-- Automatic segments whose criteria read metrics are refreshed when metrics change, as when the
-- columns were on customers (migration 008's trigger there).
CREATE TRIGGER customer_metrics_dirty_updated AFTER UPDATE ON customer_metrics
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_dirty_related_changed();

-- The functions that read or wrote the moved columns, restated against customer_metrics with the
-- same results. The customers row is still what is locked: retention (021) and the stage share it.

CREATE OR REPLACE FUNCTION crm_score_rfm() RETURNS bigint
  LANGUAGE sql AS $$
  WITH ranked AS (
    SELECT customer_id AS id,
           1 + floor(4.999 * percent_rank() OVER (ORDER BY last_order_date))::int AS r,
           1 + floor(4.999 * percent_rank() OVER (ORDER BY total_orders))::int AS f,
           1 + floor(4.999 * percent_rank() OVER (ORDER BY lifetime_value))::int AS m
    FROM customer_metrics
    WHERE total_orders > 0
  ), upserted AS (
    INSERT INTO customer_rfm AS cr (customer_id, recency, frequency, monetary, rfm_group, scored_at)
    SELECT id, r, f, m, crm_rfm_group(r, f, m), now() FROM ranked
    ON CONFLICT (customer_id) DO UPDATE
      SET recency = excluded.recency, frequency = excluded.frequency, monetary = excluded.monetary,
          rfm_group = excluded.rfm_group, scored_at = excluded.scored_at
      WHERE (cr.recency, cr.frequency, cr.monetary, cr.rfm_group)
            IS DISTINCT FROM (excluded.recency, excluded.frequency, excluded.monetary, excluded.rfm_group)
    RETURNING 1
  ), removed AS (
    -- customers whose kept orders were all cancelled or refunded are no longer scored
    DELETE FROM customer_rfm cr
     WHERE NOT EXISTS (SELECT 1 FROM customer_metrics m WHERE m.customer_id = cr.customer_id AND m.total_orders > 0)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM upserted) + (SELECT count(*) FROM removed);
$$;

CREATE OR REPLACE FUNCTION crm_apply_lifecycle(target uuid) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  c customers%ROWTYPE;
  m customer_metrics%ROWTYPE;
  rules lifecycle_rules%ROWTYPE;
  next_stage text;
  why text;
BEGIN
  SELECT * INTO c FROM customers WHERE id = target;
  IF NOT FOUND OR c.lifecycle_stage_manual THEN RETURN; END IF;
  SELECT * INTO m FROM customer_metrics WHERE customer_id = target;
  SELECT * INTO rules FROM lifecycle_rules;
  SELECT e.stage, e.reason INTO next_stage, why
    FROM crm_lifecycle_eval(m.total_orders, m.first_order_date, m.last_order_date, now(), rules) e;
  IF next_stage = c.lifecycle_stage THEN RETURN; END IF;
  UPDATE customers SET lifecycle_stage = next_stage WHERE id = target;
  INSERT INTO lifecycle_transitions (customer_id, from_stage, to_stage, reason, source)
    VALUES (target, c.lifecycle_stage, next_stage, why, 'auto');
  INSERT INTO customer_events (customer_id, kind, summary, data)
    VALUES (target, 'stage_changed', format('Stage %s → %s', c.lifecycle_stage, next_stage),
            jsonb_build_object('from', c.lifecycle_stage, 'to', next_stage, 'reason', why, 'source', 'auto'));
END $$;

CREATE OR REPLACE FUNCTION crm_apply_lifecycle_all() RETURNS bigint
  LANGUAGE sql AS $$
  WITH evaluated AS (
    SELECT c.id, c.lifecycle_stage AS from_stage, e.stage AS to_stage, e.reason
    FROM customers c
    JOIN customer_metrics m ON m.customer_id = c.id
    CROSS JOIN lifecycle_rules r
    CROSS JOIN LATERAL crm_lifecycle_eval(m.total_orders, m.first_order_date, m.last_order_date, now(), r) e
    WHERE NOT c.lifecycle_stage_manual AND e.stage <> c.lifecycle_stage
  ), updated AS (
    UPDATE customers c SET lifecycle_stage = e.to_stage FROM evaluated e WHERE c.id = e.id RETURNING c.id
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
      last_order_date = m.last_at
    FROM m
    WHERE cm.customer_id = m.id
      AND (cm.total_orders, cm.lifetime_value, cm.first_order_date, cm.last_order_date)
          IS DISTINCT FROM (m.n, m.revenue::numeric(14, 2), m.first_at, m.last_at)
    RETURNING 1
  ), activated AS (
    UPDATE customers c SET customer_status = 'active'
    FROM m
    WHERE c.id = m.id AND m.n > 0 AND c.customer_status = 'prospect'
  )
  SELECT count(*) FROM u;
$$;

-- A batch of customers (order ingest and bulk order changes, migrations 024 and 025): the metrics
-- into customer_metrics where they moved; customers is written only where the status or stage
-- changes, which for a batch of repeat buyers is a few rows, not all of them.
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
    SELECT c.id, m.n, m.revenue, m.first_at, m.last_at, c.lifecycle_stage AS from_stage,
           CASE WHEN c.lifecycle_stage_manual THEN c.lifecycle_stage ELSE e.stage END AS to_stage,
           CASE WHEN m.n > 0 AND c.customer_status = 'prospect' THEN 'active' ELSE c.customer_status END AS to_status,
           c.customer_status AS from_status,
           e.reason
    FROM m
    CROSS JOIN LATERAL (SELECT * FROM customers WHERE id = m.id) c
    CROSS JOIN LATERAL crm_lifecycle_eval(m.n, m.first_at, m.last_at, now(), rules) e
  ), metrics AS (
    UPDATE customer_metrics cm SET
      total_orders = x.n,
      lifetime_value = x.revenue,
      average_order_value = CASE WHEN x.n > 0 THEN round(x.revenue / x.n, 2) ELSE 0 END,
      first_order_date = x.first_at,
      last_order_date = x.last_at
    FROM next x
    WHERE cm.customer_id = x.id
      AND (cm.total_orders, cm.lifetime_value, cm.first_order_date, cm.last_order_date)
          IS DISTINCT FROM (x.n, x.revenue::numeric(14, 2), x.first_at, x.last_at)
  ), people AS (
    UPDATE customers c SET customer_status = x.to_status, lifecycle_stage = x.to_stage
    FROM next x
    WHERE c.id = x.id AND (x.to_status <> x.from_status OR x.to_stage <> x.from_stage)
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

-- One customer (the per-order trigger path) is the batch of one: the same lock, metrics, status
-- and stage, instead of a second copy of the same statements.
CREATE OR REPLACE FUNCTION crm_refresh_customer_metrics(target uuid) RETURNS void
  LANGUAGE sql AS $$
  SELECT crm_refresh_customers_metrics(ARRAY[target]);
$$;
