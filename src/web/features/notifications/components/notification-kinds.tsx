import {
  IconAlarm,
  IconAt,
  IconBell,
  IconChecklist,
  IconMessage,
  IconTicket,
  IconUserShare,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';

const icons: Record<string, { icon: ReactNode; color: string }> = {
  mention: { icon: <IconAt size={16} />, color: 'violet' },
  task_reminder: { icon: <IconAlarm size={16} />, color: 'orange' },
  task_assigned: { icon: <IconChecklist size={16} />, color: 'teal' },
  ticket_assigned: { icon: <IconTicket size={16} />, color: 'blue' },
  ticket_commented: { icon: <IconMessage size={16} />, color: 'blue' },
  customer_assigned: { icon: <IconUserShare size={16} />, color: 'grape' },
};

/** The icon and colour of a notification kind; unknown kinds get a plain bell. */
export function notificationKindLook(kind: string): { icon: ReactNode; color: string } {
  return icons[kind] ?? { icon: <IconBell size={16} />, color: 'gray' };
}
