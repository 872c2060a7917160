import { Anchor, Avatar, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import type { NotificationList } from '../../../../shared/notifications.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { notifyError } from '../../../lib/notify.js';
import { useMarkMentionRead } from '../api/mark-mention-read.js';
import { countLabel, WorkCard, WorkEmpty } from './work-card.js';

const initials = (name: string | null | undefined) =>
  (name ?? '?')
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();

/** Unread mentions of me: who, where (a link), what they wrote, when; each can be marked read. */
export function MentionsCard({ mentions }: { mentions: NotificationList }) {
  const markRead = useMarkMentionRead();
  return (
    <WorkCard title="Mentions" count={countLabel(mentions.data.length, mentions.next_cursor !== null)}>
      {mentions.data.length === 0 ? (
        <WorkEmpty>No unread mentions.</WorkEmpty>
      ) : (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Unread mentions">
          {mentions.data.map((mention) => (
            <Group key={mention.id} component="li" gap="sm" wrap="nowrap" align="flex-start">
              <Avatar size="sm" radius="xl" color="indigo" aria-hidden>
                {initials(mention.actor?.name)}
              </Avatar>
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                {mention.link ? (
                  <Anchor component={Link} to={mention.link} size="sm" fw={500}>
                    {mention.title}
                  </Anchor>
                ) : (
                  <Text size="sm" fw={500}>
                    {mention.title}
                  </Text>
                )}
                {mention.body ? (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {mention.body}
                  </Text>
                ) : null}
                <Tooltip label={formatDateTime(mention.created_at)} withArrow>
                  <Text size="xs" c="dimmed" w="fit-content">
                    {formatRelative(mention.created_at)}
                  </Text>
                </Tooltip>
              </Stack>
              <Button
                size="compact-xs"
                variant="subtle"
                loading={markRead.isPending && markRead.variables === mention.id}
                aria-label={`Mark read: ${mention.title}`}
                onClick={() =>
                  markRead.mutate(mention.id, { onError: (e) => notifyError(e, 'Could not mark it read') })
                }
              >
                Mark read
              </Button>
            </Group>
          ))}
        </Stack>
      )}
    </WorkCard>
  );
}
