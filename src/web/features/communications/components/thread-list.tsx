import { Accordion, Group, Stack, Text } from '@mantine/core';
import type { Thread } from '../../../../shared/communications.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { EmailStatusBadge } from './email-status-badge.js';
import { type ThreadMessageData, ThreadMessage } from './thread-message.js';

/**
 * Threads newest first, each a row (subject, how many messages, when, the latest status) that
 * opens to its messages, oldest first. Closed threads are not rendered (their HTML frames neither).
 */
export function ThreadList({
  threads,
  onReply,
}: {
  threads: Thread[];
  onReply?: (message: ThreadMessageData) => void;
}) {
  return (
    <Accordion
      multiple
      variant="contained"
      keepMounted={false}
      chevronPosition="left"
      aria-label="Email threads"
    >
      {threads.map((thread) => {
        const latest = thread.messages.at(-1);
        return (
          <Accordion.Item key={thread.thread_id} value={thread.thread_id}>
            <Accordion.Control>
              <Group justify="space-between" wrap="nowrap" gap="sm">
                <Text size="sm" fw={500} lineClamp={1}>
                  {thread.subject}
                </Text>
                <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {thread.message_count} {thread.message_count === 1 ? 'message' : 'messages'}
                  </Text>
                  {latest ? <EmailStatusBadge status={latest.status} /> : null}
                  <Text
                    size="xs"
                    c="dimmed"
                    title={formatDateTime(thread.last_at)}
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    {formatRelative(thread.last_at)}
                  </Text>
                </Group>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                {thread.messages.map((message) => (
                  <ThreadMessage key={message.id} message={message} onReply={onReply} />
                ))}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}
