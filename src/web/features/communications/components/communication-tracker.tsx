import { Alert, Button, Card, Center, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle, IconMail, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { QueryError } from '../../../components/query-error.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useMailStatus } from '../api/get-mail-status.js';
import { useThreads } from '../api/get-threads.js';
import { ComposeEmail, type ReplyTarget } from './compose-email.js';
import { ThreadList } from './thread-list.js';

/**
 * The customer's email on the profile: threads with each message's status and engagement (kept
 * current by the live customer stream), and a compose box for those who may send.
 */
export function CommunicationTracker({ customerId }: { customerId: string }) {
  const canSend = usePermission('email:send');
  const status = useMailStatus();
  const threads = useThreads(customerId);
  const list = threads.data?.pages.flatMap((page) => page.data) ?? [];
  const outbox = status.data ? status.data.transport === 'outbox' : (threads.data?.pages[0]?.outbox ?? false);
  const [compose, setCompose] = useState<{ replyTo: ReplyTarget | null } | null>(null);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="email-title">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="email-title">
          Email
        </Title>
        {canSend ? (
          <Button
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => setCompose({ replyTo: null })}
          >
            New email
          </Button>
        ) : null}
      </Group>
      <Stack gap="sm">
        {outbox ? (
          <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} p="xs">
            No SMTP server is configured: messages are written to the outbox folder and are not delivered.
          </Alert>
        ) : null}
        {threads.isPending ? (
          <Stack gap="xs" aria-busy="true" aria-label="Loading emails">
            <Skeleton h={40} />
            <Skeleton h={40} />
          </Stack>
        ) : threads.isError ? (
          <QueryError
            error={threads.error}
            title="Could not load the emails"
            onRetry={() => void threads.refetch()}
          />
        ) : list.length === 0 ? (
          <Center py="lg">
            <Stack gap={4} align="center">
              <IconMail size={28} color="var(--mantine-color-dimmed)" aria-hidden />
              <Text size="sm" c="dimmed">
                No emails with this customer yet
              </Text>
            </Stack>
          </Center>
        ) : (
          <ThreadList
            threads={list}
            onReply={
              canSend
                ? (message) => setCompose({ replyTo: { emailId: message.id, subject: message.subject } })
                : undefined
            }
          />
        )}
        {threads.hasNextPage ? (
          <Button
            variant="subtle"
            size="xs"
            w="fit-content"
            loading={threads.isFetchingNextPage}
            onClick={() => void threads.fetchNextPage()}
          >
            Load older emails
          </Button>
        ) : null}
      </Stack>
      {canSend ? (
        <ComposeEmail
          customerId={customerId}
          opened={compose !== null}
          replyTo={compose?.replyTo ?? null}
          onClose={() => setCompose(null)}
        />
      ) : null}
    </Card>
  );
}
