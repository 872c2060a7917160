import { Box, Group, Stack, Text, ThemeIcon, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { Notification } from '../../../../shared/notifications.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { notificationKindLook } from './notification-kinds.js';

/** One row of the bell's list: unread ones are tinted and carry a dot. */
export function NotificationItem({
  notification,
  onOpen,
}: {
  notification: Notification;
  onOpen: (notification: Notification) => void;
}) {
  const unread = notification.read_at === null;
  const look = notificationKindLook(notification.kind);
  return (
    <UnstyledButton
      onClick={() => onOpen(notification)}
      px="md"
      py="sm"
      w="100%"
      bg={unread ? 'var(--mantine-primary-color-light)' : undefined}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon size={30} radius="xl" variant="light" color={look.color} aria-hidden>
          {look.icon}
        </ThemeIcon>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={unread ? 700 : 500} lineClamp={2}>
            {/* said, not only shown by the tint and the dot; part of the visible name (axe) */}
            {unread ? <VisuallyHidden>Unread: </VisuallyHidden> : null}
            {notification.title}
          </Text>
          {notification.body ? (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {notification.body}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            {notification.actor?.name ? `${notification.actor.name} · ` : ''}
            <Tooltip label={formatDateTime(notification.created_at)} withinPortal={false}>
              <time dateTime={notification.created_at}>{formatRelative(notification.created_at)}</time>
            </Tooltip>
          </Text>
        </Stack>
        {unread ? (
          <Box
            mt={6}
            w={8}
            h={8}
            bg="var(--mantine-primary-color-filled)"
            style={{ borderRadius: '50%', flexShrink: 0 }}
            aria-hidden
          />
        ) : null}
      </Group>
    </UnstyledButton>
  );
}
