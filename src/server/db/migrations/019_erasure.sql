-- Data-subject erasure (issue 6): a customer is anonymised, not deleted (orders and their amounts
-- stay for accounting), marked with `erased_at`, and the emails they used are remembered only as
-- a hash so that no import, order or platform sign-up brings the person back by accident.
-- See docs/decisions/009-erasure.md.

ALTER TABLE customers ADD COLUMN erased_at timestamptz;

-- The one hash of an erased email, used by the server (through this function) and by the sign-up
-- trigger below, so both sides always agree on normalisation: trimmed, lower-cased, UTF-8, sha256.
CREATE OR REPLACE FUNCTION crm_email_hash(email text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT encode(sha256(convert_to(lower(trim(email)), 'UTF8')), 'hex') $$;

-- Emails of erased people, as hashes only. Deliberately no customer id and no time: a row must
-- not say which anonymised record (or which day's erasure) an address belonged to.
CREATE TABLE erased_identities (
  email_hash text PRIMARY KEY CHECK (email_hash ~ '^[0-9a-f]{64}$')
);

-- The sign-up trigger of 001, unchanged except that an erased email no longer becomes a lead.
-- The platform's sign-up itself must still succeed, so the row is let through, not refused.
CREATE OR REPLACE FUNCTION crm_handle_new_auth_user() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  existing uuid;
  created uuid;
  meta jsonb := coalesce(NEW.raw_user_meta_data, '{}'::jsonb);
BEGIN
  IF NEW.email IS NOT NULL
     AND EXISTS (SELECT 1 FROM erased_identities WHERE email_hash = crm_email_hash(NEW.email)) THEN
    RETURN NEW;
  END IF;

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
