-- Foundation: platform users (Supabase-compatible), staff and sessions, customers with contacts,
-- products, orders, the timeline, and the triggers that keep customer metrics exact.
-- Runs on PostgreSQL 15+ and on PGlite; must not use anything newer than PostgreSQL 15.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Supabase Auth's table, created only where it does not exist (on Supabase it already does).
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email varchar(255),
  phone text,
  encrypted_password varchar(255),
  raw_user_meta_data jsonb,
  raw_app_meta_data jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_sign_in_at timestamptz
);

-- unaccent() is only STABLE; an IMMUTABLE wrapper with an explicit dictionary lets us index it.
CREATE OR REPLACE FUNCTION crm_normalize(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

CREATE TABLE staff_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text,
  password_hash text,
  role text NOT NULL CHECK (role IN ('admin', 'manager', 'agent', 'viewer')),
  disabled boolean NOT NULL DEFAULT false,
  auth_user_id uuid UNIQUE,
  -- 'app_metadata': provisioned from a Supabase JWT; its role follows the token's app_metadata
  role_source text NOT NULL DEFAULT 'crm' CHECK (role_source IN ('crm', 'app_metadata')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));

CREATE TABLE staff_sessions (
  id text PRIMARY KEY, -- sha256 of the cookie value; the cookie itself is never stored
  staff_id uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text,
  ip text
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  staff_id uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_staff_idx ON api_tokens (staff_id);

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid UNIQUE REFERENCES auth.users(id) ON DELETE SET NULL,
  -- primary contact, denormalised from the contact tables so lists sort and show without joins
  first_name text,
  last_name text,
  company text,
  email text,
  phone text,
  country text,
  customer_status text NOT NULL DEFAULT 'prospect'
    CHECK (customer_status IN ('active', 'inactive', 'prospect', 'churned')),
  lifecycle_stage text NOT NULL DEFAULT 'lead'
    CHECK (lifecycle_stage IN ('lead', 'customer', 'loyal', 'at_risk', 'lost')),
  customer_value numeric(14, 2) NOT NULL DEFAULT 0,
  lifetime_value numeric(14, 2) NOT NULL DEFAULT 0,
  total_orders integer NOT NULL DEFAULT 0,
  average_order_value numeric(14, 2) NOT NULL DEFAULT 0,
  first_order_date timestamptz,
  last_order_date timestamptz,
  acquisition_date timestamptz NOT NULL DEFAULT now(),
  acquisition_source text,
  preferred_contact_method text NOT NULL DEFAULT 'email'
    CHECK (preferred_contact_method IN ('email', 'phone', 'sms')),
  communication_preferences jsonb NOT NULL DEFAULT '{}'::jsonb,
  owner_id uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  -- lower-cased, unaccented names, company, every email and phone (digits too): substring search
  search_text text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops);
-- keyset indexes: one per sortable column, id as the tie-breaker
CREATE INDEX customers_created_at_idx ON customers (created_at, id);
CREATE INDEX customers_updated_at_idx ON customers (updated_at, id);
CREATE INDEX customers_last_name_idx ON customers (last_name, id);
CREATE INDEX customers_first_name_idx ON customers (first_name, id);
CREATE INDEX customers_email_idx ON customers (email, id);
CREATE INDEX customers_company_idx ON customers (company, id);
CREATE INDEX customers_ltv_idx ON customers (lifetime_value, id);
CREATE INDEX customers_total_orders_idx ON customers (total_orders, id);
CREATE INDEX customers_aov_idx ON customers (average_order_value, id);
CREATE INDEX customers_value_idx ON customers (customer_value, id);
CREATE INDEX customers_last_order_idx ON customers (last_order_date, id);
CREATE INDEX customers_acquisition_date_idx ON customers (acquisition_date, id);
CREATE INDEX customers_status_ltv_idx ON customers (customer_status, lifetime_value, id);
CREATE INDEX customers_stage_ltv_idx ON customers (lifecycle_stage, lifetime_value, id);
CREATE INDEX customers_owner_idx ON customers (owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX customers_country_idx ON customers (country);
CREATE INDEX customers_source_idx ON customers (acquisition_source);

CREATE TABLE customer_emails (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  email text NOT NULL,
  label text,
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- one email belongs to one customer: the de-duplication key for imports and sign-ups
CREATE UNIQUE INDEX customer_emails_email_key ON customer_emails (lower(email));
CREATE INDEX customer_emails_customer_idx ON customer_emails (customer_id);

CREATE TABLE customer_phones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  phone text NOT NULL,
  label text,
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_phones_customer_idx ON customer_phones (customer_id);

CREATE TABLE customer_addresses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  label text,
  line1 text NOT NULL,
  line2 text,
  city text NOT NULL,
  region text,
  postal_code text,
  country text NOT NULL,
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (customer_id);

CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sku text NOT NULL UNIQUE,
  name text NOT NULL,
  category text,
  price numeric(14, 2) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category_idx ON products (category);

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  external_id text UNIQUE,
  status text NOT NULL DEFAULT 'paid'
    CHECK (status IN ('pending', 'paid', 'fulfilled', 'cancelled', 'refunded')),
  currency char(3) NOT NULL DEFAULT 'USD',
  total numeric(14, 2) NOT NULL DEFAULT 0,
  item_count integer NOT NULL DEFAULT 0,
  placed_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at DESC, id DESC);
CREATE INDEX orders_placed_idx ON orders (placed_at DESC, id DESC);

CREATE TABLE order_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id uuid NOT NULL REFERENCES products(id),
  sku text NOT NULL,
  name text NOT NULL,
  category text,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(14, 2) NOT NULL CHECK (unit_price >= 0),
  line_total numeric(14, 2) NOT NULL
);
CREATE INDEX order_items_order_idx ON order_items (order_id);
CREATE INDEX order_items_product_idx ON order_items (product_id);

-- The timeline: one row per thing that happened to a customer (orders are read from `orders`).
CREATE TABLE customer_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  kind text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  summary text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX customer_events_customer_idx ON customer_events (customer_id, occurred_at DESC, id DESC);

-- Customer metrics from kept orders (paid, fulfilled). Recomputed from the customer's orders, so
-- any path that writes orders (API, ingest, the platform itself) leaves exact numbers.
CREATE OR REPLACE FUNCTION crm_refresh_customer_metrics(target uuid) RETURNS void
  LANGUAGE sql AS $$
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

CREATE OR REPLACE FUNCTION crm_orders_metrics_trigger() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM crm_refresh_customer_metrics(NEW.customer_id);
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.customer_id <> NEW.customer_id) THEN
    PERFORM crm_refresh_customer_metrics(OLD.customer_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_metrics
  AFTER INSERT OR DELETE OR UPDATE OF status, total, placed_at, customer_id ON orders
  FOR EACH ROW EXECUTE FUNCTION crm_orders_metrics_trigger();

-- Full recompute: the same numbers as the trigger, for every customer at once.
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
      lifecycle_stage = CASE WHEN m.n > 0 AND c.lifecycle_stage = 'lead' THEN 'customer' ELSE c.lifecycle_stage END,
      customer_status = CASE WHEN m.n > 0 AND c.customer_status = 'prospect' THEN 'active' ELSE c.customer_status END
    FROM m
    WHERE c.id = m.id
      AND (c.total_orders, c.lifetime_value, c.first_order_date, c.last_order_date)
          IS DISTINCT FROM (m.n, m.revenue::numeric(14, 2), m.first_at, m.last_at)
    RETURNING 1
  )
  SELECT count(*) FROM u;
$$;

-- Search text for one customer, from the profile and every stored email and phone.
CREATE OR REPLACE FUNCTION crm_refresh_customer_search(target uuid) RETURNS void
  LANGUAGE sql AS $$
  UPDATE customers c SET search_text = crm_normalize(concat_ws(' ',
      c.first_name, c.last_name, c.company,
      (SELECT string_agg(e.email, ' ') FROM customer_emails e WHERE e.customer_id = c.id),
      (SELECT string_agg(p.phone || ' ' || regexp_replace(p.phone, '[^0-9]', '', 'g'), ' ')
         FROM customer_phones p WHERE p.customer_id = c.id)))
  WHERE c.id = target;
$$;

-- A sign-up on the platform (a row in auth.users) becomes a lead, without any call to the CRM.
CREATE OR REPLACE FUNCTION crm_handle_new_auth_user() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  existing uuid;
  created uuid;
  meta jsonb := coalesce(NEW.raw_user_meta_data, '{}'::jsonb);
BEGIN
  -- a lead already known by email (imported, created by hand) is linked instead of duplicated
  IF NEW.email IS NOT NULL THEN
    SELECT e.customer_id INTO existing FROM customer_emails e WHERE lower(e.email) = lower(NEW.email);
  END IF;
  IF existing IS NOT NULL THEN
    UPDATE customers SET user_id = NEW.id, updated_at = now(), version = version + 1
      WHERE id = existing AND user_id IS NULL;
    INSERT INTO customer_events (customer_id, kind, occurred_at, summary, data)
      VALUES (existing, 'signed_up', coalesce(NEW.created_at, now()), 'Signed up on the platform',
              jsonb_build_object('user_id', NEW.id));
    RETURN NEW;
  END IF;

  INSERT INTO customers (user_id, first_name, last_name, email, phone, customer_status, lifecycle_stage,
                         acquisition_date, acquisition_source)
  VALUES (NEW.id,
          nullif(coalesce(meta->>'first_name', split_part(meta->>'full_name', ' ', 1)), ''),
          nullif(coalesce(meta->>'last_name', nullif(substr(meta->>'full_name', length(split_part(meta->>'full_name', ' ', 1)) + 2), '')), ''),
          NEW.email, NEW.phone, 'prospect', 'lead', coalesce(NEW.created_at, now()),
          coalesce(meta->>'acquisition_source', meta->>'utm_source', meta->>'source', 'signup'))
  RETURNING id INTO created;
  IF NEW.email IS NOT NULL THEN
    INSERT INTO customer_emails (customer_id, email, is_primary) VALUES (created, NEW.email, true);
  END IF;
  IF NEW.phone IS NOT NULL AND NEW.phone <> '' THEN
    INSERT INTO customer_phones (customer_id, phone, is_primary) VALUES (created, NEW.phone, true);
  END IF;
  PERFORM crm_refresh_customer_search(created);
  INSERT INTO customer_events (customer_id, kind, occurred_at, summary, data)
    VALUES (created, 'signed_up', coalesce(NEW.created_at, now()), 'Signed up on the platform',
            jsonb_build_object('user_id', NEW.id, 'source', meta->>'acquisition_source'));
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS crm_on_auth_user_created ON auth.users;
CREATE TRIGGER crm_on_auth_user_created
  AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION crm_handle_new_auth_user();
