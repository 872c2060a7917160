import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { type CommentVisibility, ticketCommentCreateSchema } from '../../../../shared/tickets.js';
import { MentionTextarea } from '../../../components/mention-textarea.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useAddTicketComment } from '../api/add-ticket-comment.js';
import classes from './ticket-conversation.module.css';

const visibilityData = [
  { value: 'public', label: 'Reply to customer' },
  { value: 'internal', label: 'Internal comment' },
];

/** Writes a public reply or an internal comment; Ctrl/Cmd+Enter sends. */
export function TicketComposer({ ticketId, customerId }: { ticketId: string; customerId: string | null }) {
  const [visibility, setVisibility] = useState<CommentVisibility>('public');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = useAddTicketComment(customerId);
  const internal = visibility === 'internal';

  const send = () => {
    if (add.isPending) return;
    const message = zodErrors(ticketCommentCreateSchema, { body, visibility }).body;
    if (message) return setError(message);
    add.mutate(
      { ticketId, body: { body, visibility } },
      {
        onSuccess: () => {
          setBody('');
          setError(null);
          notifySuccess(internal ? 'Internal comment added' : 'Reply sent');
        },
        onError: (e) => {
          if (isApiError(e) && e.fieldErrors.body) setError(e.fieldErrors.body);
          notifyError(e, internal ? 'Could not add the comment' : 'Could not send the reply');
        },
      },
    );
  };

  return (
    <form
      noValidate
      aria-label="Add to the conversation"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <Stack gap="xs">
        <SegmentedControl
          data={visibilityData}
          value={visibility}
          onChange={(v) => setVisibility(v as CommentVisibility)}
          color={internal ? 'yellow' : undefined}
          w="fit-content"
        />
        <MentionTextarea
          label={internal ? 'Internal comment' : 'Reply'}
          description={
            internal ? 'Only staff see this. Type @ to mention someone.' : 'The customer sees this reply.'
          }
          placeholder={internal ? 'Add a note for the team…' : 'Write to the customer…'}
          // not autosize: it needs document.fonts, which happy-dom (the component tests) lacks
          rows={4}
          value={body}
          onChange={(v) => {
            setBody(v);
            if (error) setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              send();
            }
          }}
          error={error}
          classNames={internal ? { input: classes.internal } : undefined}
        />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Markdown supported · Ctrl+Enter to send
          </Text>
          <Button
            type="submit"
            loading={add.isPending}
            color={internal ? 'yellow.8' : undefined}
            leftSection={<IconSend size={16} />}
          >
            {internal ? 'Add internal comment' : 'Send reply'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
