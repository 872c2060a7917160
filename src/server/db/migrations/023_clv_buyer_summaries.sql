-- The customer-value fit's working table (issue 7): one row per buyer, filled from the orders in
-- one pass at the start of each fit, then read twice by primary key (the calibration summaries
-- and the scoring slices). Summarising slice by slice instead made PostgreSQL scan all orders
-- once per slice. Unlogged: it is rebuilt by every fit and worth nothing after a crash.
CREATE UNLOGGED TABLE clv_buyer_summaries (
  customer_id uuid PRIMARY KEY,
  -- order days (UTC) with a kept order, and what was spent on them
  first_day date NOT NULL,
  last_day date NOT NULL,
  order_days integer NOT NULL,
  spend numeric NOT NULL,
  first_spend numeric NOT NULL,
  -- the same up to the calibration end of this fit
  calibration_order_days integer NOT NULL,
  calibration_last_day date,
  calibration_spend numeric NOT NULL
);
