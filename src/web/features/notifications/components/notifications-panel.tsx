import {
  Box,
  Button,
  Center,
  Group,
  ScrollArea,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { IconChecks, IconMoodSmile } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Notification } from '../../../../shared/notifications.js';
import { QueryError } from '../../../components/query-error.js';
import { notifyError } from '../../../lib/notify.js';
import { useNotifications } from '../api/get-notifications.js';
import { useMarkAllNotificationsRead } from '../api/mark-all-notifications-read.js';
import { useMarkNotificationRead } from '../api/mark-notification-read.js';
import { NotificationItem } from './notification-item.js';

/** The bell's dropdown: filter, "Mark all read", the list page by page. */
export function NotificationsPanel({ unreadCount, onClose }: { unreadCount: number; onClose: () => void }) {
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const query = useNotifications(filter === 'unread');
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const navigate = useNavigate();
  const items = query.data?.pages.flatMap((p) => p.data) ?? [];

  const open = (n: Notification) => {
    if (n.read_at === null)
      markRead.mutate(n.id, { onError: (e) => notifyError(e, 'Could not mark it read') });
    onClose();
    if (n.link?.startsWith('/')) void navigate(n.link);
  };

  return (
    <Stack gap={0}>
      <Group justify="space-between" px="md" py="sm" wrap="nowrap">
        <Text fw={700} id="notifications-title">
          Notifications
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconChecks size={14} />}
          disabled={unreadCount === 0}
          loading={markAll.isPending}
          onClick={() =>
            markAll.mutate(undefined, { onError: (e) => notifyError(e, 'Could not mark all read') })
          }
        >
          Mark all read
        </Button>
      </Group>
      <SegmentedControl
        mx="md"
        mb="xs"
        size="xs"
        aria-label="Show notifications"
        value={filter}
        onChange={(v) => setFilter(v === 'unread' ? 'unread' : 'all')}
        data={[
          { value: 'all', label: 'All' },
          { value: 'unread', label: `Unread${unreadCount > 0 ? ` (${unreadCount})` : ''}` },
        ]}
      />
      <ScrollArea.Autosize mah={420} type="auto">
        {query.isPending ? (
          <Stack gap="xs" p="md" aria-label="Loading notifications">
            <Skeleton height={48} />
            <Skeleton height={48} />
            <Skeleton height={48} />
          </Stack>
        ) : query.isError ? (
          <Stack p="md">
            <QueryError
              error={query.error}
              onRetry={() => void query.refetch()}
              title="Could not load notifications"
            />
          </Stack>
        ) : items.length === 0 ? (
          <Center py="xl" px="md">
            <Stack gap={4} align="center">
              <IconMoodSmile size={28} stroke={1.5} color="var(--mantine-color-dimmed)" />
              <Text fw={600} size="sm">
                You're all caught up
              </Text>
              <Text size="xs" c="dimmed" ta="center">
                {filter === 'unread'
                  ? 'No unread notifications.'
                  : 'Mentions, assignments and reminders show up here.'}
              </Text>
            </Stack>
          </Center>
        ) : (
          <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-labelledby="notifications-title">
            {items.map((n) => (
              <li key={n.id}>
                <NotificationItem notification={n} onOpen={open} />
              </li>
            ))}
          </Box>
        )}
        {query.hasNextPage ? (
          <Group justify="center" py="sm">
            <Button
              size="xs"
              variant="light"
              onClick={() => void query.fetchNextPage()}
              loading={query.isFetchingNextPage}
            >
              Load more
            </Button>
          </Group>
        ) : null}
      </ScrollArea.Autosize>
    </Stack>
  );
}
