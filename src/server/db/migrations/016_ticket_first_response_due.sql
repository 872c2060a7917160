-- A ticket's SLA has two clocks, both from its priority's policy: the first public reply is due
-- `first_response_minutes` after it opened, the resolution `resolution_minutes` after. Either one
-- passing while the ticket is still open or pending is a breach.
ALTER TABLE tickets ADD COLUMN first_response_due_at timestamptz;
UPDATE tickets t SET first_response_due_at = t.created_at + make_interval(mins => p.first_response_minutes)
  FROM ticket_sla_policies p WHERE p.priority = t.priority;
UPDATE tickets SET first_response_due_at = sla_due_at WHERE first_response_due_at IS NULL;
ALTER TABLE tickets ALTER COLUMN first_response_due_at SET NOT NULL;
