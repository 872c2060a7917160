-- Announce new timeline events with NOTIFY, so every server process (and the browsers watching
-- those customers through GET /api/crm/events) hears of them, whichever process wrote them.
-- One statement-level trigger: a bulk statement sends one notice per customer, or, past 100
-- customers, a single notice without ids (listeners then refresh what they show).
CREATE OR REPLACE FUNCTION crm_customer_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  customers int;
BEGIN
  SELECT count(DISTINCT customer_id) INTO customers FROM new_rows;
  IF customers = 0 THEN
    RETURN NULL;
  ELSIF customers > 100 THEN
    PERFORM pg_notify('crm_customer_events', json_build_object('bulk', true, 'customers', customers)::text);
  ELSE
    PERFORM pg_notify('crm_customer_events', json_build_object(
      'customer_id', e.customer_id, 'kinds', e.kinds, 'latest_id', e.latest_id)::text)
    FROM (
      SELECT customer_id, array_agg(DISTINCT kind) AS kinds, (array_agg(id ORDER BY occurred_at DESC))[1] AS latest_id
      FROM new_rows GROUP BY customer_id
    ) e;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER customer_events_notify AFTER INSERT ON customer_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_customer_events_notify();
