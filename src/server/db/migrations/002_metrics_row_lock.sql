-- Customer metrics under concurrent orders. On PostgreSQL (READ COMMITTED) two transactions adding
-- orders for one customer each computed the totals from a snapshot without the other's order; the
-- later UPDATE waited for the row lock, then wrote its stale totals over the first: an order lost
-- from the metrics. Locking the customer row in its own statement first makes the aggregate that
-- follows take a fresh snapshot (this function is VOLATILE) that includes every committed order.
-- FOR NO KEY UPDATE, not FOR UPDATE: it must not conflict with the KEY SHARE locks that the
-- orders.customer_id foreign key takes, or two concurrent orders would deadlock.
CREATE OR REPLACE FUNCTION crm_refresh_customer_metrics(target uuid) RETURNS void
  LANGUAGE sql AS $$
  SELECT 1 FROM customers WHERE id = target FOR NO KEY UPDATE;
  UPDATE customers c SET
    total_orders = m.n,
    lifetime_value = m.revenue,
    average_order_value = CASE WHEN m.n > 0 THEN round(m.revenue / m.n, 2) ELSE 0 END,
    first_order_date = m.first_at,
    last_order_date = m.last_at,
    -- the first kept order turns a lead into a customer; later stages are issue-3 rules
    lifecycle_stage = CASE WHEN m.n > 0 AND c.lifecycle_stage = 'lead' THEN 'customer' ELSE c.lifecycle_stage END,
    customer_status = CASE WHEN m.n > 0 AND c.customer_status = 'prospect' THEN 'active' ELSE c.customer_status END
  FROM (
    SELECT count(*)::int AS n, coalesce(sum(total), 0) AS revenue, min(placed_at) AS first_at, max(placed_at) AS last_at
    FROM orders WHERE customer_id = target AND status IN ('paid', 'fulfilled')
  ) m
  WHERE c.id = target
    AND (c.total_orders, c.lifetime_value, c.first_order_date, c.last_order_date)
        IS DISTINCT FROM (m.n, m.revenue::numeric(14, 2), m.first_at, m.last_at);
$$;
