import { Anchor, Button, Card, Grid, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconTicketOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { Markdown } from '../../../components/markdown.js';
import { QueryError } from '../../../components/query-error.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import { isApiError } from '../../../lib/api-client.js';
import { formatDateTime } from '../../../lib/format.js';
import type { TicketDetail as Ticket } from '../../../../shared/tickets.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useTicket } from '../api/get-ticket.js';
import { TicketComposer } from './ticket-composer.js';
import { TicketConversation } from './ticket-conversation.js';
import { TicketProperties } from './ticket-properties.js';
import { TicketSubject } from './ticket-subject.js';
import { useSaveTicket } from './use-save-ticket.js';

function BackLink() {
  return (
    <Anchor component={Link} to="/tickets" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        Tickets
      </Group>
    </Anchor>
  );
}

function NotFound() {
  return (
    <Stack align="center" gap="xs" py={64}>
      <IconTicketOff size={44} stroke={1.4} opacity={0.5} aria-hidden />
      <Title order={1} size="h3">
        Ticket not found
      </Title>
      <Text c="dimmed" size="sm">
        It may have been removed, or the link is wrong.
      </Text>
      <Button component={Link} to="/tickets" variant="light" mt="xs">
        Back to tickets
      </Button>
    </Stack>
  );
}

function TicketView({ ticket }: { ticket: Ticket }) {
  const canWrite = usePermission('customers:write');
  const saver = useSaveTicket(ticket);
  return (
    <Stack gap="md">
      <BackLink />
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          Ticket #{ticket.number} · opened {formatDateTime(ticket.created_at)}
        </Text>
        <TicketSubject
          subject={ticket.subject}
          canEdit={canWrite}
          saving={saver.saving}
          onSave={(subject, done) =>
            saver.save(
              { subject },
              { onSaved: () => done(null), onFieldErrors: (errors) => done(errors.subject ?? null) },
            )
          }
        />
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
          <Stack gap="md">
            <Card withBorder padding="lg" component="section" aria-label="Description">
              <Text size="xs" tt="uppercase" fw={700} c="dimmed" mb="xs">
                Description
              </Text>
              {ticket.description ? (
                <Markdown source={ticket.description} />
              ) : (
                <Text size="sm" c="dimmed">
                  No description.
                </Text>
              )}
            </Card>
            <Card withBorder padding="lg" component="section" aria-label="Conversation">
              <Title order={2} size="h4" mb="sm">
                Conversation
              </Title>
              <TicketConversation comments={ticket.comments} />
              {canWrite ? (
                <Stack mt="md">
                  <TicketComposer ticketId={ticket.id} customerId={ticket.customer?.id ?? null} />
                </Stack>
              ) : null}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
          <TicketProperties ticket={ticket} canEdit={canWrite} saving={saver.saving} onSave={saver.save} />
        </Grid.Col>
      </Grid>
      <VersionConflictModal
        what="ticket"
        updatedAt={saver.conflict?.current.updated_at ?? null}
        saving={saver.saving}
        onReload={saver.reload}
        onOverwrite={saver.overwrite}
        onClose={saver.dismiss}
      />
    </Stack>
  );
}

/** One ticket: editable subject and properties, SLA and times, description and the conversation. */
export function TicketDetail({ id }: { id: string }) {
  const query = useTicket(id);
  if (query.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label="Loading ticket">
        <Skeleton h={16} w={80} />
        <Skeleton h={36} w="60%" />
        <Skeleton h={240} />
      </Stack>
    );
  }
  if (query.isError) {
    if (isApiError(query.error, 404) || isApiError(query.error, 400)) return <NotFound />;
    return (
      <Stack>
        <BackLink />
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      </Stack>
    );
  }
  return <TicketView ticket={query.data} />;
}
