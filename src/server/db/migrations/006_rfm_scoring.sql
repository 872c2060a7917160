-- RFM scoring: recency, frequency and monetary scores 1-5 among customers with kept orders, and
-- the named group. Scores are quintiles by percent rank, so equal values get equal scores (a
-- plain ntile would split the many one-order customers across two scores at random).
-- Recency scores the most recent buyers 5; frequency and monetary score the highest 5.

-- The group from the three scores; first matching rule wins (order matters).
CREATE OR REPLACE FUNCTION crm_rfm_group(r int, f int, m int) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN r >= 4 AND f >= 4 AND m >= 4 THEN 'champions'
    WHEN r <= 2 AND f >= 4 AND m >= 4 THEN 'cannot_lose'
    WHEN r >= 3 AND f >= 3 AND m >= 3 THEN 'loyal'
    WHEN r >= 4 AND f <= 1 THEN 'new'
    WHEN r >= 4 AND f <= 3 THEN 'potential_loyalists'
    WHEN r = 3 AND f <= 1 THEN 'promising'
    WHEN r = 3 AND f <= 3 THEN 'need_attention'
    WHEN r <= 2 AND (f >= 3 OR m >= 3) THEN 'at_risk'
    WHEN r = 2 THEN 'about_to_sleep'
    WHEN r = 1 AND (f >= 2 OR m >= 2) THEN 'hibernating'
    ELSE 'lost'
  END
$$;

-- Rescores every customer in one statement; returns how many rows changed.
CREATE OR REPLACE FUNCTION crm_score_rfm() RETURNS bigint
  LANGUAGE sql AS $$
  WITH ranked AS (
    SELECT id,
           1 + floor(4.999 * percent_rank() OVER (ORDER BY last_order_date))::int AS r,
           1 + floor(4.999 * percent_rank() OVER (ORDER BY total_orders))::int AS f,
           1 + floor(4.999 * percent_rank() OVER (ORDER BY lifetime_value))::int AS m
    FROM customers
    WHERE total_orders > 0
  ), scored AS (
    SELECT c.id, s.r, s.f, s.m, CASE WHEN s.id IS NULL THEN NULL ELSE crm_rfm_group(s.r, s.f, s.m) END AS g
    FROM customers c LEFT JOIN ranked s ON s.id = c.id
  ), changed AS (
    UPDATE customers c
       SET rfm_recency = scored.r, rfm_frequency = scored.f, rfm_monetary = scored.m, rfm_group = scored.g,
           rfm_scored_at = now()
      FROM scored
     WHERE c.id = scored.id
       AND (c.rfm_recency, c.rfm_frequency, c.rfm_monetary, c.rfm_group)
           IS DISTINCT FROM (scored.r, scored.f, scored.m, scored.g)
    RETURNING 1
  )
  SELECT count(*) FROM changed;
$$;

CREATE INDEX customers_rfm_group_idx ON customers (rfm_group) WHERE rfm_group IS NOT NULL;

-- Each rescoring run, for "scored when" and for watching how long it takes at scale.
CREATE TABLE rfm_runs (
  id bigserial PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  customers_scored bigint NOT NULL,
  customers_changed bigint NOT NULL
);
