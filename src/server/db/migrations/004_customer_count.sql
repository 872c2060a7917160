-- The exact number of customers without counting them. The list's first page answers with its
-- total; counting a million rows (35-80 ms even as an index-only scan) was most of that page's
-- time. Statement triggers append one delta row per INSERT/DELETE statement (no shared row to
-- update, so concurrent writers never wait on each other); the total is their sum, and
-- crm_compact_customer_count() folds the deltas into one row from time to time.
CREATE TABLE customer_count_deltas (
  id bigserial PRIMARY KEY,
  delta bigint NOT NULL
);
INSERT INTO customer_count_deltas (delta) SELECT count(*) FROM customers;

CREATE OR REPLACE FUNCTION crm_customer_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_count_deltas (delta) SELECT count(*) FROM inserted_rows HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_customer_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_count_deltas (delta) SELECT -count(*) FROM deleted_rows HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION crm_customer_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_count_deltas;
  RETURN NULL;
END $$;

CREATE TRIGGER customers_count_inserted AFTER INSERT ON customers
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_count_inserted();
CREATE TRIGGER customers_count_deleted AFTER DELETE ON customers
  REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_count_deleted();
CREATE TRIGGER customers_count_truncated AFTER TRUNCATE ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_count_truncated();

-- Folds every delta into one row; safe to run concurrently with writers and with itself.
CREATE OR REPLACE FUNCTION crm_compact_customer_count() RETURNS void LANGUAGE sql AS $$
  WITH folded AS (DELETE FROM customer_count_deltas RETURNING delta)
  INSERT INTO customer_count_deltas (delta) SELECT coalesce(sum(delta), 0) FROM folded;
$$;

-- Recounts from scratch: for bulk loads that ran with triggers disabled (the seed).
CREATE OR REPLACE FUNCTION crm_reset_customer_count() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  total bigint;
BEGIN
  LOCK TABLE customers IN SHARE MODE; -- no writer may slip between the count and the reset
  DELETE FROM customer_count_deltas;
  SELECT count(*) INTO total FROM customers;
  INSERT INTO customer_count_deltas (delta) VALUES (total);
  RETURN total;
END $$;
