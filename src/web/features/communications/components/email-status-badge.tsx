import { Badge, type MantineColor } from '@mantine/core';
import type { EmailStatus } from '../../../../shared/communications.js';

/**
 * The word always shows (colour is never the only signal); light variants keep the text dark
 * enough on its tint in both colour schemes.
 */
const statusStyle: Record<EmailStatus, { color: MantineColor; label: string }> = {
  queued: { color: 'gray', label: 'Queued' },
  outbox: { color: 'yellow', label: 'Outbox' },
  failed: { color: 'red', label: 'Failed' },
  sent: { color: 'blue', label: 'Sent' },
  delivered: { color: 'cyan', label: 'Delivered' },
  opened: { color: 'teal', label: 'Opened' },
  clicked: { color: 'green', label: 'Clicked' },
  replied: { color: 'indigo', label: 'Replied' },
  bounced: { color: 'red', label: 'Bounced' },
  received: { color: 'violet', label: 'Received' },
};

export function EmailStatusBadge({ status }: { status: EmailStatus }) {
  const { color, label } = statusStyle[status];
  return (
    <Badge color={color} variant="light" size="sm" data-status={status}>
      {label}
    </Badge>
  );
}
