import {
  IconChecklist,
  IconAdjustments,
  IconCircleCheck,
  IconClick,
  IconEdit,
  IconFileImport,
  IconInbox,
  IconMessage,
  IconMailExclamation,
  IconMailForward,
  IconMailOff,
  IconMailOpened,
  IconMailShare,
  IconMailX,
  IconMessageOff,
  IconMessages,
  IconNote,
  IconNoteOff,
  IconShoppingCart,
  IconStairs,
  IconTag,
  IconTagOff,
  IconTicket,
  IconTrash,
  IconTruckDelivery,
  IconUserCheck,
  IconUserPlus,
  IconUsersMinus,
  IconUsersPlus,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { type TimelineKind, timelineKinds } from '../../shared/customers.js';
import { humanize } from '../lib/format.js';

const emailKinds = [
  'email_sent',
  'email_failed',
  'email_opened',
  'email_clicked',
  'email_replied',
  'email_received',
  'email_bounced',
  'email_complained',
  'preferences_changed',
] as const satisfies readonly TimelineKind[];

const emailKindIcons: Record<(typeof emailKinds)[number], ReactNode> = {
  email_sent: <IconMailForward size={14} />,
  email_failed: <IconMailOff size={14} />,
  email_opened: <IconMailOpened size={14} />,
  email_clicked: <IconClick size={14} />,
  email_replied: <IconMailShare size={14} />,
  email_received: <IconInbox size={14} />,
  email_bounced: <IconMailX size={14} />,
  email_complained: <IconMailExclamation size={14} />,
  preferences_changed: <IconAdjustments size={14} />,
};

/** One icon per timeline kind, for the customer timeline and the team feed alike. */
export const timelineKindIcons: Record<TimelineKind, ReactNode> = {
  ...emailKindIcons,
  order_placed: <IconShoppingCart size={14} />,
  order_status_changed: <IconTruckDelivery size={14} />,
  customer_created: <IconUserPlus size={14} />,
  profile_updated: <IconEdit size={14} />,
  signed_up: <IconUserCheck size={14} />,
  imported: <IconFileImport size={14} />,
  tag_added: <IconTag size={14} />,
  tag_removed: <IconTagOff size={14} />,
  stage_changed: <IconStairs size={14} />,
  segment_entered: <IconUsersPlus size={14} />,
  segment_left: <IconUsersMinus size={14} />,
  note_added: <IconNote size={14} />,
  note_updated: <IconNote size={14} />,
  note_deleted: <IconNoteOff size={14} />,
  interaction_logged: <IconMessages size={14} />,
  interaction_updated: <IconMessages size={14} />,
  interaction_deleted: <IconMessageOff size={14} />,
  ticket_opened: <IconTicket size={14} />,
  ticket_updated: <IconTicket size={14} />,
  ticket_commented: <IconMessage size={14} />,
  task_created: <IconChecklist size={14} />,
  task_completed: <IconCircleCheck size={14} />,
  task_deleted: <IconTrash size={14} />,
};

/** Where "Email complained" would not say what happened. */
const kindLabels: Record<string, string> = {
  email_complained: 'Email marked as spam',
  preferences_changed: 'Communication preferences changed',
};

const groups: { group: string; kinds: TimelineKind[] }[] = [
  { group: 'Notes', kinds: ['note_added', 'note_updated', 'note_deleted'] },
  { group: 'Interactions', kinds: ['interaction_logged', 'interaction_updated', 'interaction_deleted'] },
  { group: 'Tickets', kinds: ['ticket_opened', 'ticket_updated', 'ticket_commented'] },
  { group: 'Tasks', kinds: ['task_created', 'task_completed', 'task_deleted'] },
  { group: 'Email', kinds: [...emailKinds] },
  { group: 'Tags', kinds: ['tag_added', 'tag_removed'] },
  { group: 'Segments', kinds: ['segment_entered', 'segment_left'] },
  { group: 'Stage', kinds: ['stage_changed'] },
  { group: 'Profile', kinds: ['customer_created', 'profile_updated', 'signed_up', 'imported'] },
  { group: 'Orders', kinds: ['order_placed', 'order_status_changed'] },
];

// kinds added to the server later still get offered; a group none of whose kinds exist is not
const grouped = new Set<string>(groups.flatMap((g) => g.kinds));
const others = timelineKinds.filter((k) => !grouped.has(k));
if (others.length) groups.push({ group: 'Other', kinds: others });

/** Kind filter options, grouped (Notes, Tickets, ...) for a Select or MultiSelect. */
export const timelineKindOptions = groups
  .filter((g) => g.kinds.length > 0)
  .map(({ group, kinds }) => ({
    group,
    items: kinds.map((k) => ({ value: k, label: kindLabels[k] ?? humanize(k) })),
  }));
