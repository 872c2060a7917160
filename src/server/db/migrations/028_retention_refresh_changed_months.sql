-- Order ingest (issue 7): a batch's retention refresh compares each customer's months once.
--
-- Migration 021's refresh recomputed a batch's months from their orders (right), then joined the
-- old and new months three times: an anti-join for months gone, a join for months to write, and
-- the retention statistics of every month of every customer, old taken from new. For a batch of
-- 10,000 repeat buyers that is ~135,000 months through crm_customer_month_stats to find the
-- ~15,000 that changed (the month of the new order and the one before it, whose next order moved).
-- Here one full join finds the changed months, and the deletes, writes and statistics use only
-- those. The deltas are the same: an unchanged month's statistics cancel out exactly.
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
  ), changed AS (
    -- the months that differ, once: a new order moves one or two of a customer's months
    SELECT coalesce(n.customer_id, o.customer_id) AS customer_id, coalesce(n.month, o.month) AS month,
           n.customer_id IS NULL AS gone
    FROM new n
    FULL JOIN old o ON o.customer_id = n.customer_id AND o.month = n.month
    WHERE (o.customer_id, o.cohort, o.orders, o.revenue, o.days, o.first_at, o.last_at, o.prev_at, o.next_at)
          IS DISTINCT FROM
          (n.customer_id, n.cohort, n.orders, n.revenue, n.days, n.first_at, n.last_at, n.prev_at, n.next_at)
  ), gone AS (
    DELETE FROM customer_months m USING changed c
    WHERE c.gone AND m.customer_id = c.customer_id AND m.month = c.month
  ), saved AS (
    INSERT INTO customer_months AS m
    SELECT n.* FROM new n JOIN changed c ON c.customer_id = n.customer_id AND c.month = n.month
    ON CONFLICT (customer_id, month) DO UPDATE SET
      cohort = excluded.cohort, orders = excluded.orders, revenue = excluded.revenue,
      days = excluded.days, first_at = excluded.first_at, last_at = excluded.last_at,
      prev_at = excluded.prev_at, next_at = excluded.next_at
  ), rows AS (
    -- an unchanged month adds and takes away the same figures, so only changed months are counted
    SELECT 1 AS sign, n.* FROM new n JOIN changed c ON c.customer_id = n.customer_id AND c.month = n.month
    UNION ALL
    SELECT -1, o.* FROM old o JOIN changed c ON c.customer_id = o.customer_id AND c.month = o.month
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
