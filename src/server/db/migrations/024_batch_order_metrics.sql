-- Order ingest (issue 7) writes up to 10,000 orders in one statement. The row trigger of 001
-- refreshes the customer's metrics (and stage) once per order: an index scan, an update of a
-- customers row with ~20 indexes, and the lifecycle rules, per row. A batch writer now sets
-- crm.batch_metrics = 'on' for its transaction and refreshes the customers it touched once,
-- set-based, before committing (crm_refresh_customers_metrics). Every other path is unchanged.

CREATE OR REPLACE FUNCTION crm_orders_metrics_trigger() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('crm.batch_metrics', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM crm_refresh_customer_metrics(NEW.customer_id);
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.customer_id <> NEW.customer_id) THEN
    PERFORM crm_refresh_customer_metrics(OLD.customer_id);
  END IF;
  RETURN NULL;
END $$;

-- The same numbers as crm_refresh_customer_metrics (007) for many customers at once: rows locked
-- first in id order (so two batches cannot deadlock), then the metrics read in a later statement
-- (so they include orders committed by whoever held a lock before us, as 002 explains), then the
-- lifecycle rules for these customers as crm_apply_lifecycle_all applies them to everyone.
CREATE OR REPLACE FUNCTION crm_refresh_customers_metrics(ids uuid[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;

  UPDATE customers c SET
    total_orders = m.n,
    lifetime_value = m.revenue,
    average_order_value = CASE WHEN m.n > 0 THEN round(m.revenue / m.n, 2) ELSE 0 END,
    first_order_date = m.first_at,
    last_order_date = m.last_at,
    customer_status = CASE WHEN m.n > 0 AND c.customer_status = 'prospect' THEN 'active' ELSE c.customer_status END
  FROM (
    -- per customer through the orders index (LATERAL): with thousands of ids as a join the planner
    -- hashes all 10M orders instead
    SELECT t.id, a.n, a.revenue, a.first_at, a.last_at
    FROM unnest(ids) AS t(id)
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, coalesce(sum(o.total), 0) AS revenue,
             min(o.placed_at) AS first_at, max(o.placed_at) AS last_at
      FROM orders o WHERE o.customer_id = t.id AND o.status IN ('paid', 'fulfilled')
    ) a
  ) m
  WHERE c.id = m.id
    AND (c.total_orders, c.lifetime_value, c.first_order_date, c.last_order_date)
        IS DISTINCT FROM (m.n, m.revenue::numeric(14, 2), m.first_at, m.last_at);

  WITH evaluated AS (
    SELECT c.id, c.lifecycle_stage AS from_stage, e.stage AS to_stage, e.reason
    FROM customers c
    CROSS JOIN lifecycle_rules r
    CROSS JOIN LATERAL crm_lifecycle_eval(c.total_orders, c.first_order_date, c.last_order_date, now(), r) e
    WHERE c.id = ANY (ids) AND NOT c.lifecycle_stage_manual AND e.stage <> c.lifecycle_stage
  ), updated AS (
    UPDATE customers c SET lifecycle_stage = e.to_stage FROM evaluated e WHERE c.id = e.id RETURNING c.id
  ), transitions AS (
    INSERT INTO lifecycle_transitions (customer_id, from_stage, to_stage, reason, source)
    SELECT id, from_stage, to_stage, reason, 'auto' FROM evaluated
  )
  INSERT INTO customer_events (customer_id, kind, summary, data)
  SELECT id, 'stage_changed', format('Stage %s → %s', from_stage, to_stage),
         jsonb_build_object('from', from_stage, 'to', to_stage, 'reason', reason, 'source', 'auto')
  FROM evaluated;
END $$;

-- The categories refresh of 009, fed by the order-items trigger, had the same trap: for a batch's
-- ten thousand customers the planner hashed all 20M order items (38 s). Per customer now, through
-- the orders and order-items indexes; the same rows as before.
CREATE OR REPLACE FUNCTION crm_refresh_customer_categories(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_categories WHERE customer_id = ANY (ids);
  INSERT INTO customer_categories (customer_id, category, first_purchased_at, last_purchased_at, orders)
  SELECT t.id, c.category, c.first_at, c.last_at, c.n
  FROM unnest(ids) AS t(id)
  CROSS JOIN LATERAL (
    SELECT crm_normalize(oi.category) AS category, min(o.placed_at) AS first_at, max(o.placed_at) AS last_at,
           count(DISTINCT o.id) AS n
    FROM orders o JOIN order_items oi ON oi.order_id = o.id
    WHERE o.customer_id = t.id AND o.status IN ('paid', 'fulfilled')
      AND oi.category IS NOT NULL AND crm_normalize(oi.category) <> ''
    GROUP BY crm_normalize(oi.category)
  ) c;
END $$;
