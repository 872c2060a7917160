-- Lifecycle stages set by rules (issue 3): lead → customer → loyal → at_risk → lost, from order
-- behaviour, with rules an administrator edits, a manual override that holds until cleared, and
-- every transition recorded with its reason.

ALTER TABLE customers ADD COLUMN lifecycle_stage_manual boolean NOT NULL DEFAULT false;

-- One row: the rules in force.
CREATE TABLE lifecycle_rules (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  loyal_min_orders integer NOT NULL DEFAULT 3 CHECK (loyal_min_orders >= 2),
  loyal_recent_days integer NOT NULL DEFAULT 180 CHECK (loyal_recent_days > 0),
  -- at risk: the gap since the last order exceeds this many times the customer's usual interval
  at_risk_interval_factor numeric(6, 2) NOT NULL DEFAULT 2.5 CHECK (at_risk_interval_factor >= 1),
  -- the usual interval assumed for one-order customers, and the smallest gap that can be "at risk"
  default_interval_days integer NOT NULL DEFAULT 60 CHECK (default_interval_days > 0),
  at_risk_min_days integer NOT NULL DEFAULT 90 CHECK (at_risk_min_days > 0),
  lost_after_days integer NOT NULL DEFAULT 365 CHECK (lost_after_days > 0),
  updated_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO lifecycle_rules DEFAULT VALUES;

CREATE TABLE lifecycle_transitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  from_stage text NOT NULL,
  to_stage text NOT NULL,
  reason text NOT NULL,
  source text NOT NULL CHECK (source IN ('auto', 'manual')),
  actor_id uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lifecycle_transitions_time_idx ON lifecycle_transitions (occurred_at);
CREATE INDEX lifecycle_transitions_customer_idx ON lifecycle_transitions (customer_id, occurred_at DESC);

-- The stage the rules give for one customer's order history, and why, as of a moment.
CREATE OR REPLACE FUNCTION crm_lifecycle_eval(
  n integer, first_at timestamptz, last_at timestamptz, as_of timestamptz, r lifecycle_rules
) RETURNS TABLE (stage text, reason text)
  LANGUAGE sql STABLE AS $$
  WITH f AS (
    SELECT floor(extract(epoch FROM as_of - last_at) / 86400)::int AS gap,
           CASE WHEN n >= 2 THEN extract(epoch FROM last_at - first_at) / 86400 / (n - 1)
                ELSE r.default_interval_days END AS usual
  )
  SELECT CASE
           WHEN n = 0 OR last_at IS NULL THEN 'lead'
           WHEN f.gap > r.lost_after_days THEN 'lost'
           WHEN f.gap > greatest(r.at_risk_min_days, r.at_risk_interval_factor * f.usual) THEN 'at_risk'
           WHEN n >= r.loyal_min_orders AND f.gap <= r.loyal_recent_days THEN 'loyal'
           ELSE 'customer'
         END,
         CASE
           WHEN n = 0 OR last_at IS NULL THEN 'No kept orders'
           WHEN f.gap > r.lost_after_days THEN format('No order for %s days (lost after %s)', f.gap, r.lost_after_days)
           WHEN f.gap > greatest(r.at_risk_min_days, r.at_risk_interval_factor * f.usual)
             THEN format('%s days since the last order; usually %s days between orders', f.gap, round(f.usual))
           WHEN n >= r.loyal_min_orders AND f.gap <= r.loyal_recent_days
             THEN format('%s orders, the last %s days ago', n, f.gap)
           ELSE format('%s order%s, the last %s days ago', n, CASE WHEN n = 1 THEN '' ELSE 's' END, f.gap)
         END
  FROM f
$$;

-- Re-evaluates one customer (unless their stage is set by hand) and records a change.
CREATE OR REPLACE FUNCTION crm_apply_lifecycle(target uuid) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  c customers%ROWTYPE;
  rules lifecycle_rules%ROWTYPE;
  next_stage text;
  why text;
BEGIN
  SELECT * INTO c FROM customers WHERE id = target;
  IF NOT FOUND OR c.lifecycle_stage_manual THEN RETURN; END IF;
  SELECT * INTO rules FROM lifecycle_rules;
  SELECT e.stage, e.reason INTO next_stage, why
    FROM crm_lifecycle_eval(c.total_orders, c.first_order_date, c.last_order_date, now(), rules) e;
  IF next_stage = c.lifecycle_stage THEN RETURN; END IF;
  UPDATE customers SET lifecycle_stage = next_stage WHERE id = target;
  INSERT INTO lifecycle_transitions (customer_id, from_stage, to_stage, reason, source)
    VALUES (target, c.lifecycle_stage, next_stage, why, 'auto');
  INSERT INTO customer_events (customer_id, kind, summary, data)
    VALUES (target, 'stage_changed', format('Stage %s → %s', c.lifecycle_stage, next_stage),
            jsonb_build_object('from', c.lifecycle_stage, 'to', next_stage, 'reason', why, 'source', 'auto'));
END $$;

-- Every customer at once (the daily refresh: "days since" rules move with time). Returns changes.
CREATE OR REPLACE FUNCTION crm_apply_lifecycle_all() RETURNS bigint
  LANGUAGE sql AS $$
  WITH evaluated AS (
    SELECT c.id, c.lifecycle_stage AS from_stage, e.stage AS to_stage, e.reason
    FROM customers c
    CROSS JOIN lifecycle_rules r
    CROSS JOIN LATERAL crm_lifecycle_eval(c.total_orders, c.first_order_date, c.last_order_date, now(), r) e
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

-- Metrics as before (002), then the stage from the rules instead of the old lead → customer step.
CREATE OR REPLACE FUNCTION crm_refresh_customer_metrics(target uuid) RETURNS void
  LANGUAGE sql AS $$
  SELECT 1 FROM customers WHERE id = target FOR NO KEY UPDATE;
  UPDATE customers c SET
    total_orders = m.n,
    lifetime_value = m.revenue,
    average_order_value = CASE WHEN m.n > 0 THEN round(m.revenue / m.n, 2) ELSE 0 END,
    first_order_date = m.first_at,
    last_order_date = m.last_at,
    customer_status = CASE WHEN m.n > 0 AND c.customer_status = 'prospect' THEN 'active' ELSE c.customer_status END
  FROM (
    SELECT count(*)::int AS n, coalesce(sum(total), 0) AS revenue, min(placed_at) AS first_at, max(placed_at) AS last_at
    FROM orders WHERE customer_id = target AND status IN ('paid', 'fulfilled')
  ) m
  WHERE c.id = target
    AND (c.total_orders, c.lifetime_value, c.first_order_date, c.last_order_date)
        IS DISTINCT FROM (m.n, m.revenue::numeric(14, 2), m.first_at, m.last_at);
  SELECT crm_apply_lifecycle(target);
$$;

-- The full recompute no longer sets stages itself; crm_apply_lifecycle_all() does, by the rules.
CREATE OR REPLACE FUNCTION crm_recompute_all_metrics() RETURNS bigint
  LANGUAGE sql AS $$
  WITH m AS (
    SELECT c.id,
           count(o.id)::int AS n,
           coalesce(sum(o.total), 0) AS revenue,
           min(o.placed_at) AS first_at,
           max(o.placed_at) AS last_at
    FROM customers c
    LEFT JOIN orders o ON o.customer_id = c.id AND o.status IN ('paid', 'fulfilled')
    GROUP BY c.id
  ), u AS (
    UPDATE customers c SET
      total_orders = m.n,
      lifetime_value = m.revenue,
      average_order_value = CASE WHEN m.n > 0 THEN round(m.revenue / m.n, 2) ELSE 0 END,
      first_order_date = m.first_at,
      last_order_date = m.last_at,
      customer_status = CASE WHEN m.n > 0 AND c.customer_status = 'prospect' THEN 'active' ELSE c.customer_status END
    FROM m
    WHERE c.id = m.id
      AND (c.total_orders, c.lifetime_value, c.first_order_date, c.last_order_date)
          IS DISTINCT FROM (m.n, m.revenue::numeric(14, 2), m.first_at, m.last_at)
    RETURNING 1
  )
  SELECT count(*) FROM u;
$$;
