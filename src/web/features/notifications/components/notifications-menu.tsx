import { ActionIcon, Indicator, Popover } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useState } from 'react';
import { useMe, usePermission } from '../../auth/api/get-me.js';
import { useNotifications } from '../api/get-notifications.js';
import { useLiveNotifications } from '../use-live-notifications.js';
import { useNotificationToasts } from '../use-notification-toasts.js';
import { NotificationsPanel } from './notifications-panel.js';

function badgeLabel(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/** The header's bell: unread count, and the latest notifications in a dropdown. */
export function NotificationsMenu() {
  const { data: me } = useMe();
  const signedIn = Boolean(me);
  // the events stream is open to readers of customers; polling serves everyone else
  const canListen = usePermission('customers:read');
  const [opened, setOpened] = useState(false);
  const latest = useNotifications(false, signedIn);
  useLiveNotifications(signedIn && canListen);
  useNotificationToasts(latest.data?.pages[0]?.data);

  if (!signedIn) return null;
  const unread = latest.data?.pages[0]?.unread_count ?? 0;

  return (
    <Popover
      width={380}
      position="bottom-end"
      shadow="md"
      withArrow
      opened={opened}
      onChange={setOpened}
      returnFocus
    >
      <Indicator label={badgeLabel(unread)} size={16} color="red" offset={4} disabled={unread === 0} inline>
        {/* the target is the button itself: its popup attributes belong on it, not on the badge's wrapper */}
        <Popover.Target>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={latest.data ? `Notifications, ${unread} unread` : 'Notifications'}
            onClick={() => setOpened((o) => !o)}
          >
            <IconBell size={18} stroke={1.6} />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p={0} aria-label="Notifications">
        {opened ? <NotificationsPanel unreadCount={unread} onClose={() => setOpened(false)} /> : null}
      </Popover.Dropdown>
    </Popover>
  );
}
