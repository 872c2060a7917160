-- The customer-base model (issue 7): BG/NBD for how often a customer buys and whether they are
-- still a customer, Gamma-Gamma for how much they spend per order. See
-- docs/decisions/011-customer-value-model.md. A fit is stored whole, never edited; the newest is
-- the model in use.
CREATE TABLE clv_models (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fitted_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL,
  created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
  -- UTC days; times inside the model are weeks from these
  calibration_start date NOT NULL,
  calibration_end date NOT NULL,
  observation_end date NOT NULL,
  customers integer NOT NULL,
  repeat_customers integer NOT NULL,
  r double precision NOT NULL,
  alpha double precision NOT NULL,
  a double precision NOT NULL,
  b double precision NOT NULL,
  bgnbd_log_likelihood double precision NOT NULL,
  bgnbd_iterations integer NOT NULL,
  bgnbd_converged boolean NOT NULL,
  -- Gamma-Gamma: null when too few customers bought twice
  p double precision,
  q double precision,
  gamma double precision,
  gg_log_likelihood double precision,
  gg_customers integer,
  gg_iterations integer,
  gg_converged boolean,
  -- the calibration chart: predicted against actual holdout purchases, by past repeat purchases
  holdout jsonb,
  customers_scored integer NOT NULL DEFAULT 0
);
CREATE INDEX clv_models_fitted_idx ON clv_models (fitted_at DESC);

-- One row per customer with a kept order, from the newest model. customer_value on customers is
-- predicted_value; the rest is what the profile, churn list and reasons read.
CREATE TABLE customer_predictions (
  customer_id uuid PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
  model_id uuid NOT NULL REFERENCES clv_models (id) ON DELETE CASCADE,
  -- the customer's summary at observation end: repeat transactions (order days after the first),
  -- weeks from first to last transaction, weeks from first transaction to observation end
  frequency integer NOT NULL,
  recency_weeks double precision NOT NULL,
  age_weeks double precision NOT NULL,
  p_alive double precision NOT NULL,
  expected_purchases_90d double precision NOT NULL,
  expected_purchases_365d double precision NOT NULL,
  expected_order_value numeric(14, 2),
  predicted_value numeric(14, 2) NOT NULL,
  scored_at timestamptz NOT NULL DEFAULT now()
);
-- the win-back list: most value at risk first
CREATE INDEX customer_predictions_p_alive_idx ON customer_predictions (p_alive);
