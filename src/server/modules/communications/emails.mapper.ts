import type { Email } from '../../../shared/communications.js';
import type { EmailRow } from './emails.queries.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The one mapper from an email row to the API's shape. */
export function toEmail(row: EmailRow): Email {
  return {
    id: row.id,
    customer_id: row.customer_id,
    thread_id: row.thread_id,
    direction: row.direction,
    email_address: row.email_address,
    from_address: row.from_address,
    subject: row.subject,
    body_text: row.body_text,
    body_html: row.body_html,
    message_id: row.message_id,
    status: row.status,
    category: row.category,
    transport: row.transport,
    tracking: row.tracking,
    template:
      row.template_id && row.template_name !== null
        ? { id: row.template_id, name: row.template_name, version: row.template_version ?? 1 }
        : null,
    campaign:
      row.campaign_id && row.campaign_name !== null ? { id: row.campaign_id, name: row.campaign_name } : null,
    sent_by: row.sent_by ? { id: row.sent_by, name: row.sent_by_name } : null,
    error: row.error,
    created_at: row.created_at.toISOString(),
    sent_at: iso(row.sent_at),
    delivered_at: iso(row.delivered_at),
    opened_at: iso(row.opened_at),
    clicked_at: iso(row.clicked_at),
    replied_at: iso(row.replied_at),
    bounced_at: iso(row.bounced_at),
    complained_at: iso(row.complained_at),
    open_count: row.open_count,
    click_count: row.click_count,
    machine_open_count: row.machine_open_count,
    machine_click_count: row.machine_click_count,
  };
}
