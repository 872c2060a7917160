-- Product affinity (issue 7, cross-sell): "bought A, also bought B" rules over kept orders (paid,
-- fulfilled), each order one basket. Precomputed by crm_recompute_product_affinity() nightly and on
-- demand; the API and per-customer recommendations only read these tables.

-- One row per recompute; the newest is the one in use (computed_at, orders for the API).
CREATE TABLE product_affinity_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  computed_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL,
  created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  -- baskets: kept orders with at least one item (the support denominator)
  orders integer NOT NULL,
  products integer NOT NULL,
  rules integer NOT NULL,
  -- pairs bought together in fewer orders than this were left out
  min_orders integer NOT NULL
);
CREATE INDEX product_affinity_runs_computed_idx ON product_affinity_runs (computed_at DESC);

-- Kept orders holding each product (popularity, and the confidence and lift denominators).
CREATE TABLE product_order_counts (
  product_id uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  orders integer NOT NULL
);
CREATE INDEX product_order_counts_orders_idx ON product_order_counts (orders DESC);

-- Both directions of every pair seen in at least min_orders baskets: A → B and B → A share
-- orders_together and support; confidence and lift are of the rule as written.
CREATE TABLE product_affinity (
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  also_product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  orders_together integer NOT NULL,
  -- orders with both / all baskets
  support double precision NOT NULL,
  -- orders with both / orders with product_id
  confidence double precision NOT NULL,
  -- confidence / support of also_product_id
  lift double precision NOT NULL,
  PRIMARY KEY (product_id, also_product_id)
);
CREATE INDEX product_affinity_lift_idx ON product_affinity (lift DESC);
CREATE INDEX product_affinity_confidence_idx ON product_affinity (confidence DESC);
CREATE INDEX product_affinity_support_idx ON product_affinity (support DESC);

-- Recounts everything from the kept orders and replaces the three tables' contents; returns the
-- run. Set-based: one pass joins each kept order's items with each other (a parallel hash join
-- on PostgreSQL); nothing leaves the database. Concurrent calls wait for each other.
CREATE OR REPLACE FUNCTION crm_recompute_product_affinity(p_min_orders integer, p_created_by uuid DEFAULT NULL)
  RETURNS SETOF product_affinity_runs LANGUAGE plpgsql
  -- the self-join's hash table: 20M items at 1M customers fit in memory instead of spilling
  SET work_mem = '256MB'
  AS $$
DECLARE
  started timestamptz := clock_timestamp();
  baskets bigint;
  run product_affinity_runs;
BEGIN
  LOCK TABLE product_affinity_runs IN SHARE ROW EXCLUSIVE MODE;

  -- Counts per product pair a < b (orders holding both) and per product (a = b: orders holding
  -- it), in one pass over the items of kept orders. These count lines: an order listing a
  -- product on two lines counts it twice here, which `dup_lines` notices and the step below
  -- corrects, so every count is of orders.
  CREATE TEMP TABLE crm_affinity_counts ON COMMIT DROP AS
  SELECT a.product_id AS a, b.product_id AS b,
         count(*) FILTER (WHERE a.product_id < b.product_id OR a.id = b.id) AS n,
         count(*) FILTER (WHERE a.product_id = b.product_id AND a.id < b.id) AS dup_lines
  FROM order_items a
  JOIN order_items b ON b.order_id = a.order_id AND a.product_id <= b.product_id
  -- kept = not one of the few others: hashing ~10% of orders instead of ~90% saves seconds
  WHERE NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = a.order_id AND x.status NOT IN ('paid', 'fulfilled'))
  GROUP BY a.product_id, b.product_id;

  -- Orders listing a product more than once (rare): take their line-multiplied counts back out
  -- and count them once. Only the items of the products concerned are read (by index).
  IF EXISTS (SELECT 1 FROM crm_affinity_counts WHERE dup_lines > 0) THEN
    WITH lines AS (
      SELECT oi.order_id, oi.product_id, count(*) AS k
      FROM order_items oi
      JOIN orders o ON o.id = oi.order_id AND o.status IN ('paid', 'fulfilled')
      WHERE oi.order_id IN (
        SELECT d.order_id FROM order_items d
        WHERE d.product_id IN (SELECT c.a FROM crm_affinity_counts c WHERE c.dup_lines > 0)
        GROUP BY d.order_id, d.product_id HAVING count(*) > 1)
      GROUP BY oi.order_id, oi.product_id
    ), excess AS (
      -- an order with kA lines of A and kB of B was counted kA·kB times for (A, B), kA for A
      SELECT x.product_id AS a, y.product_id AS b,
             sum(CASE WHEN x.product_id = y.product_id THEN x.k - 1 ELSE x.k * y.k - 1 END) AS extra
      FROM lines x JOIN lines y ON y.order_id = x.order_id AND x.product_id <= y.product_id
      GROUP BY x.product_id, y.product_id
    )
    UPDATE crm_affinity_counts c SET n = c.n - e.extra
    FROM excess e WHERE c.a = e.a AND c.b = e.b AND e.extra > 0;
  END IF;

  -- every kept order has items (the API and ingest refuse empty orders); item_count is their units
  SELECT count(*) INTO baskets FROM orders WHERE status IN ('paid', 'fulfilled') AND item_count > 0;

  DELETE FROM product_order_counts;
  INSERT INTO product_order_counts (product_id, orders)
  SELECT a, n FROM crm_affinity_counts WHERE a = b AND n > 0;

  DELETE FROM product_affinity;
  INSERT INTO product_affinity (product_id, also_product_id, orders_together, support, confidence, lift)
  SELECT r.x, r.y, p.n, p.n::float8 / baskets, p.n::float8 / cx.orders,
         p.n::float8 * baskets / (cx.orders::float8 * cy.orders)
  FROM crm_affinity_counts p
  CROSS JOIN LATERAL (VALUES (p.a, p.b), (p.b, p.a)) AS r (x, y)
  JOIN product_order_counts cx ON cx.product_id = r.x
  JOIN product_order_counts cy ON cy.product_id = r.y
  WHERE p.a < p.b AND p.n >= p_min_orders;

  DROP TABLE pg_temp.crm_affinity_counts;
  ANALYZE product_affinity;
  ANALYZE product_order_counts;

  INSERT INTO product_affinity_runs (computed_at, duration_ms, created_by, orders, products, rules, min_orders)
  VALUES (started, (extract(epoch FROM clock_timestamp() - started) * 1000)::integer, p_created_by, baskets,
          (SELECT count(*) FROM product_order_counts), (SELECT count(*) FROM product_affinity), p_min_orders)
  RETURNING * INTO run;
  RETURN NEXT run;
END $$;
