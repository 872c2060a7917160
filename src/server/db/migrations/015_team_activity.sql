-- The team activity feed reads what staff did, newest first, across customers.
CREATE INDEX customer_events_staff_feed_idx ON customer_events (occurred_at DESC, id DESC)
  WHERE actor_id IS NOT NULL;
