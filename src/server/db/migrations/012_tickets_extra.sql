-- Comments that came from an external help desk keep its id, so a repeated inbound delivery
-- of the same ticket does not add them twice.
ALTER TABLE ticket_comments ADD COLUMN external_id text;
CREATE UNIQUE INDEX ticket_comments_external_key ON ticket_comments (ticket_id, external_id);
