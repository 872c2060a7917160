-- Retention analytics (issue 7): monthly acquisition cohorts, churn over time and the overview's
-- period figures without aggregating 10 million orders per request. See
-- docs/decisions/012-retention-analytics.md.
--
--   customer_months        one row per customer and calendar month (UTC) with a kept order (paid,
--                          fulfilled, as the customer metrics count): the exact per-customer state
--   retention_stats        those rows (and the orders) summed by cohort and day; a few tens of
--                          thousands of rows for any shop size
--   retention_deltas       what each order statement changed in retention_stats, appended (no row
--                          shared between writers, as customer_count_deltas in 004); folded into
--                          retention_stats by crm_compact_retention_stats()
--
-- Churn: a customer churns once lifecycle_rules.lost_after_days pass without a kept order (the
-- moment the lifecycle rules call them lost) and becomes active again with their next kept order.
-- Gaps between two orders of the same calendar month are not looked at, which matters only for
-- thresholds under 31 days. Changing the threshold rebuilds retention_stats (trigger below).

CREATE TABLE customer_months (
  -- no foreign key: deleting a customer deletes their orders, and the orders trigger below has to
  -- see these rows to take them out of retention_stats
  customer_id uuid NOT NULL,
  -- first day of the month (UTC)
  month date NOT NULL,
  -- month of the customer's first kept order
  cohort date NOT NULL,
  orders integer NOT NULL,
  revenue numeric(14, 2) NOT NULL,
  -- bit d-1 set when a kept order was placed on day d of the month (UTC)
  days integer NOT NULL,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  -- the customer's last kept order before this month, and their first one after it
  prev_at timestamptz,
  next_at timestamptz,
  PRIMARY KEY (customer_id, month)
);
CREATE INDEX customer_months_month_idx ON customer_months (month);

-- Sums by cohort month and day. cohort null: the whole shop's kept orders by the day they were
-- placed (orders, revenue). Otherwise the figures of customer_months rows of that cohort:
--   customers, orders, revenue  a customer's month, counted on the day of its first order
--   repeaters                   customers who bought again on a later day (same-day orders are one
--                               purchase, as in the customer-value model), on their first day
--   starts                      customers becoming active: a first order, or one after churning
--   churns                      customers churning: lost_after_days after an order not followed
--                               by another within that time (days in the future included: an
--                               order before then takes them out again)
CREATE TABLE retention_stats (
  cohort date,
  day date NOT NULL,
  customers integer NOT NULL DEFAULT 0,
  orders integer NOT NULL DEFAULT 0,
  revenue numeric(16, 2) NOT NULL DEFAULT 0,
  repeaters integer NOT NULL DEFAULT 0,
  starts integer NOT NULL DEFAULT 0,
  churns integer NOT NULL DEFAULT 0,
  CONSTRAINT retention_stats_key UNIQUE NULLS NOT DISTINCT (cohort, day)
);

CREATE TABLE retention_deltas (
  id bigserial PRIMARY KEY,
  cohort date,
  day date NOT NULL,
  customers integer NOT NULL DEFAULT 0,
  orders integer NOT NULL DEFAULT 0,
  revenue numeric(16, 2) NOT NULL DEFAULT 0,
  repeaters integer NOT NULL DEFAULT 0,
  starts integer NOT NULL DEFAULT 0,
  churns integer NOT NULL DEFAULT 0
);

-- Every customer's months from their kept orders. Filtered by customer_id, the filter reaches the
-- orders index (it is the partition and grouping key).
CREATE VIEW customer_months_from_orders AS
  WITH m AS (
    SELECT o.customer_id,
           date_trunc('month', o.placed_at AT TIME ZONE 'UTC')::date AS month,
           count(*)::int AS orders,
           sum(o.total) AS revenue,
           bit_or(1 << (extract(day FROM o.placed_at AT TIME ZONE 'UTC')::int - 1)) AS days,
           min(o.placed_at) AS first_at,
           max(o.placed_at) AS last_at
    FROM orders o
    WHERE o.status IN ('paid', 'fulfilled')
    GROUP BY 1, 2
  )
  SELECT customer_id, month,
         first_value(month) OVER w AS cohort,
         orders, revenue::numeric(14, 2) AS revenue, days, first_at, last_at,
         lag(last_at) OVER w AS prev_at,
         lead(first_at) OVER w AS next_at
  FROM m
  WINDOW w AS (PARTITION BY customer_id ORDER BY month);

-- The churn threshold in force, as an interval of whole days of 24 hours.
CREATE OR REPLACE FUNCTION crm_retention_inactive() RETURNS interval LANGUAGE sql STABLE AS $$
  SELECT make_interval(hours => 24 * coalesce((SELECT lost_after_days FROM lifecycle_rules), 365))
$$;

-- What one customer_months row adds to retention_stats (one or two keys). The trigger subtracts
-- the old rows' share and adds the new rows'; the rebuilds sum it over every row.
CREATE OR REPLACE FUNCTION crm_customer_month_stats(
  m_cohort date, m_month date, m_orders int, m_revenue numeric, m_days int, m_first_at timestamptz,
  m_last_at timestamptz, m_prev_at timestamptz, m_next_at timestamptz, inactive interval
) RETURNS TABLE (cohort date, day date, customers int, orders int, revenue numeric,
                 repeaters int, starts int, churns int)
  LANGUAGE sql IMMUTABLE AS $$
  SELECT $1, ($6 AT TIME ZONE 'UTC')::date, 1, $3, $4,
         CASE WHEN $2 = $1 AND ($5 & ($5 - 1) <> 0 OR $9 IS NOT NULL) THEN 1 ELSE 0 END,
         CASE WHEN $8 IS NULL OR $6 > $8 + $10 THEN 1 ELSE 0 END,
         0
  UNION ALL
  SELECT $1, (($7 + $10) AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0, 1
  WHERE $9 IS NULL OR $9 > $7 + $10
$$;

-- Recomputes these customers' months from their orders, writes only the rows that changed and
-- appends the difference to retention_deltas.
-- No JIT: the planner's guess for a batch is far too high, and compiling took longer (0.7 s for
-- 10,000 customers) than running.
CREATE OR REPLACE FUNCTION crm_refresh_customer_months(ids uuid[]) RETURNS void LANGUAGE plpgsql
  SET jit = off AS $$
DECLARE
  inactive interval;
BEGIN
  IF coalesce(cardinality(ids), 0) = 0 THEN RETURN; END IF;
  -- a rebuild (new churn threshold) holds a stronger lock: wait for it, then read the threshold
  LOCK TABLE customer_months IN ROW EXCLUSIVE MODE;
  -- one refresh of a customer at a time (order writes already hold this through the metrics)
  PERFORM 1 FROM customers WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
  inactive := crm_retention_inactive();
  WITH old AS (
    SELECT * FROM customer_months WHERE customer_id = ANY (ids)
  ), new AS (
    SELECT * FROM customer_months_from_orders WHERE customer_id = ANY (ids)
  ), gone AS (
    DELETE FROM customer_months m
    WHERE m.customer_id = ANY (ids)
      AND NOT EXISTS (SELECT 1 FROM new n WHERE n.customer_id = m.customer_id AND n.month = m.month)
  ), saved AS (
    -- joined on the key, so a batch of thousands of customers is a hash join, not a loop
    INSERT INTO customer_months AS m
    SELECT n.* FROM new n
    LEFT JOIN old o ON o.customer_id = n.customer_id AND o.month = n.month
    WHERE o.customer_id IS NULL
       OR (o.cohort, o.orders, o.revenue, o.days, o.first_at, o.last_at, o.prev_at, o.next_at)
          IS DISTINCT FROM (n.cohort, n.orders, n.revenue, n.days, n.first_at, n.last_at, n.prev_at, n.next_at)
    ON CONFLICT (customer_id, month) DO UPDATE SET
      cohort = excluded.cohort, orders = excluded.orders, revenue = excluded.revenue,
      days = excluded.days, first_at = excluded.first_at, last_at = excluded.last_at,
      prev_at = excluded.prev_at, next_at = excluded.next_at
  ), rows AS (
    SELECT 1 AS sign, n.* FROM new n
    UNION ALL
    SELECT -1, o.* FROM old o
  )
  INSERT INTO retention_deltas (cohort, day, customers, orders, revenue, repeaters, starts, churns)
  SELECT s.cohort, s.day, sum(r.sign * s.customers), sum(r.sign * s.orders), sum(r.sign * s.revenue),
         sum(r.sign * s.repeaters), sum(r.sign * s.starts), sum(r.sign * s.churns)
  FROM rows r
  CROSS JOIN LATERAL crm_customer_month_stats(r.cohort, r.month, r.orders, r.revenue, r.days,
                                              r.first_at, r.last_at, r.prev_at, r.next_at, inactive) s
  GROUP BY s.cohort, s.day
  HAVING sum(r.sign * s.customers) <> 0 OR sum(r.sign * s.orders) <> 0 OR sum(r.sign * s.revenue) <> 0
      OR sum(r.sign * s.repeaters) <> 0 OR sum(r.sign * s.starts) <> 0 OR sum(r.sign * s.churns) <> 0;
  -- readers fold the deltas; a batch folds them too when nobody has read for a long while
  IF cardinality(ids) >= 1000
     AND (SELECT count(*) FROM (SELECT 1 FROM retention_deltas LIMIT 100001) d) > 100000 THEN
    PERFORM crm_compact_retention_stats();
  END IF;
END $$;

-- retention_stats for customers from customer_months (every cohort row), under the threshold in
-- force. Sales by day (cohort null) do not depend on it and stay.
CREATE OR REPLACE FUNCTION crm_rebuild_retention_stats() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  inactive interval;
  n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(727275);
  -- writers of customer_months wait until this commits, and then read the new threshold
  LOCK TABLE customer_months IN SHARE ROW EXCLUSIVE MODE;
  inactive := crm_retention_inactive();
  DELETE FROM retention_deltas WHERE cohort IS NOT NULL;
  DELETE FROM retention_stats WHERE cohort IS NOT NULL;
  INSERT INTO retention_stats (cohort, day, customers, orders, revenue, repeaters, starts, churns)
  SELECT s.cohort, s.day, sum(s.customers), sum(s.orders), sum(s.revenue),
         sum(s.repeaters), sum(s.starts), sum(s.churns)
  FROM customer_months m
  CROSS JOIN LATERAL crm_customer_month_stats(m.cohort, m.month, m.orders, m.revenue, m.days,
                                              m.first_at, m.last_at, m.prev_at, m.next_at, inactive) s
  GROUP BY s.cohort, s.day;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;

-- Everything from the orders, set-based (this migration's backfill, the seed after its bulk load).
-- Returns the customer_months rows written.
CREATE OR REPLACE FUNCTION crm_rebuild_customer_months() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(727275);
  TRUNCATE customer_months, retention_stats, retention_deltas;
  -- in month order: the overview reads a few months of rows, and finds them together
  INSERT INTO customer_months SELECT * FROM customer_months_from_orders ORDER BY month, customer_id;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM crm_rebuild_retention_stats();
  INSERT INTO retention_stats (cohort, day, orders, revenue)
  SELECT NULL, (placed_at AT TIME ZONE 'UTC')::date, count(*), sum(total)
  FROM orders WHERE status IN ('paid', 'fulfilled')
  GROUP BY 2;
  RETURN n;
END $$;

-- Folds the deltas into retention_stats; one caller at a time, the others return at once.
CREATE OR REPLACE FUNCTION crm_compact_retention_stats() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(727275) THEN RETURN 0; END IF;
  WITH folded AS (
    DELETE FROM retention_deltas RETURNING *
  ), sums AS (
    SELECT cohort, day, sum(customers) AS customers, sum(orders) AS orders, sum(revenue) AS revenue,
           sum(repeaters) AS repeaters, sum(starts) AS starts, sum(churns) AS churns, count(*) AS n
    FROM folded GROUP BY cohort, day
  ), saved AS (
    INSERT INTO retention_stats AS s (cohort, day, customers, orders, revenue, repeaters, starts, churns)
    SELECT cohort, day, customers, orders, revenue, repeaters, starts, churns FROM sums
    ORDER BY cohort, day
    ON CONFLICT (cohort, day) DO UPDATE SET
      customers = s.customers + excluded.customers, orders = s.orders + excluded.orders,
      revenue = s.revenue + excluded.revenue, repeaters = s.repeaters + excluded.repeaters,
      starts = s.starts + excluded.starts, churns = s.churns + excluded.churns
  )
  SELECT coalesce(sum(sums.n), 0) INTO n FROM sums;
  DELETE FROM retention_stats
  WHERE customers = 0 AND orders = 0 AND revenue = 0 AND repeaters = 0 AND starts = 0 AND churns = 0;
  RETURN n;
END $$;

-- ---- triggers ---------------------------------------------------------------------------------
-- Statement-level with transition tables: a batch of orders costs one refresh. Only kept orders
-- (before or after the change) and changes of status, total, time or customer matter.

CREATE OR REPLACE FUNCTION crm_retention_orders_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_refresh_customer_months(ARRAY(
    SELECT DISTINCT customer_id FROM new_rows WHERE status IN ('paid', 'fulfilled')));
  INSERT INTO retention_deltas (cohort, day, orders, revenue)
  SELECT NULL, (placed_at AT TIME ZONE 'UTC')::date, count(*), sum(total)
  FROM new_rows WHERE status IN ('paid', 'fulfilled') GROUP BY 2;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_retention_orders_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_refresh_customer_months(ARRAY(
    SELECT DISTINCT customer_id FROM old_rows WHERE status IN ('paid', 'fulfilled')));
  INSERT INTO retention_deltas (cohort, day, orders, revenue)
  SELECT NULL, (placed_at AT TIME ZONE 'UTC')::date, -count(*), -sum(total)
  FROM old_rows WHERE status IN ('paid', 'fulfilled') GROUP BY 2;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_retention_orders_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_refresh_customer_months(ARRAY(
    SELECT DISTINCT x.customer_id
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL unnest(ARRAY[o.customer_id, n.customer_id]) AS x (customer_id)
    WHERE (o.status IN ('paid', 'fulfilled') OR n.status IN ('paid', 'fulfilled'))
      AND (o.status, o.total, o.placed_at, o.customer_id)
          IS DISTINCT FROM (n.status, n.total, n.placed_at, n.customer_id)));
  INSERT INTO retention_deltas (cohort, day, orders, revenue)
  SELECT NULL, x.day, sum(x.n), sum(x.total)
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (
    SELECT (n.placed_at AT TIME ZONE 'UTC')::date, 1, n.total WHERE n.status IN ('paid', 'fulfilled')
    UNION ALL
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, -1, -o.total WHERE o.status IN ('paid', 'fulfilled')
  ) AS x (day, n, total)
  WHERE (o.status, o.total, o.placed_at) IS DISTINCT FROM (n.status, n.total, n.placed_at)
  GROUP BY x.day
  HAVING sum(x.n) <> 0 OR sum(x.total) <> 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_retention_orders_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_months, retention_stats, retention_deltas;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_retention_inserted AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_retention_orders_inserted();
CREATE TRIGGER orders_retention_updated AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_retention_orders_updated();
CREATE TRIGGER orders_retention_deleted AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_retention_orders_deleted();
CREATE TRIGGER orders_retention_truncated AFTER TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION crm_retention_orders_truncated();

-- A new churn threshold recounts starts and churns of every customer under it.
CREATE OR REPLACE FUNCTION crm_retention_threshold_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM crm_rebuild_retention_stats();
  RETURN NULL;
END $$;

CREATE TRIGGER lifecycle_rules_retention AFTER UPDATE ON lifecycle_rules
  FOR EACH ROW WHEN (OLD.lost_after_days IS DISTINCT FROM NEW.lost_after_days)
  EXECUTE FUNCTION crm_retention_threshold_changed();

SELECT crm_rebuild_customer_months();
