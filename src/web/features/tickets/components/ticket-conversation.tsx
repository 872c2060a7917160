import { Avatar, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { TicketComment } from '../../../../shared/tickets.js';
import { Markdown } from '../../../components/markdown.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import classes from './ticket-conversation.module.css';

function authorOf(comment: TicketComment): { name: string; external: boolean } {
  if (comment.author) return { name: comment.author.name ?? 'Unnamed staff', external: false };
  return { name: comment.external_author ?? 'Unknown', external: true };
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
}

function CommentCard({ comment }: { comment: TicketComment }) {
  const internal = comment.visibility === 'internal';
  const author = authorOf(comment);
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="article"
      aria-label={`${internal ? 'Internal comment' : 'Reply'} by ${author.name}`}
      data-visibility={comment.visibility}
      className={internal ? classes.internal : undefined}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap" miw={0}>
          <Avatar size="sm" radius="xl" color={author.external ? 'grape' : 'blue'}>
            {initials(author.name)}
          </Avatar>
          <Text size="sm" fw={600} truncate>
            {author.name}
          </Text>
          {author.external ? (
            <Badge size="xs" variant="light" color="grape">
              External
            </Badge>
          ) : null}
          {internal ? (
            <Badge size="xs" color="yellow" variant="filled" leftSection={<IconLock size={10} aria-hidden />}>
              Internal
            </Badge>
          ) : (
            <Badge size="xs" variant="light" color="gray">
              Reply
            </Badge>
          )}
        </Group>
        <Text
          size="xs"
          c="dimmed"
          title={formatDateTime(comment.created_at)}
          style={{ whiteSpace: 'nowrap' }}
        >
          {formatRelative(comment.created_at)}
        </Text>
      </Group>
      <Markdown source={comment.body} />
    </Paper>
  );
}

/** The ticket's comments, oldest first: replies to the customer plain, internal comments yellow. */
export function TicketConversation({ comments }: { comments: TicketComment[] }) {
  if (comments.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="md">
        No replies or comments yet.
      </Text>
    );
  }
  return (
    <Stack gap="sm" aria-label="Conversation">
      {comments.map((c) => (
        <CommentCard key={c.id} comment={c} />
      ))}
    </Stack>
  );
}
