import { ActionIcon, Card, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconPencil, IconPin, IconPinFilled, IconPinnedOff, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Note } from '../../../../shared/notes.js';
import { Markdown } from '../../../components/markdown.js';
import { isApiError } from '../../../lib/api-client.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useDeleteNote } from '../api/delete-note.js';
import { invalidateNoteQueries } from '../api/invalidate-notes.js';
import { useUpdateNote } from '../api/update-note.js';
import { NoteEditForm } from './note-edit-form.js';
import { NoteRevisionsModal } from './note-revisions-modal.js';
import { NoteTypeBadge } from './note-type-badge.js';

/** One note: type, pin, author, time, "edited" (opens its history), the text; actions for its author or an admin. */
export function NoteCard({ note, canChange }: { note: Note; canChange: boolean }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const update = useUpdateNote();
  const remove = useDeleteNote();
  const author = note.author?.name ?? 'A former colleague';

  const togglePin = () =>
    update.mutate(
      { id: note.id, body: { pinned: !note.pinned, version: note.version } },
      {
        onSuccess: (saved) => notifySuccess(saved.pinned ? 'Note pinned' : 'Note unpinned'),
        onError: (error) => {
          if (isApiError(error, 409)) invalidateNoteQueries(queryClient, note.customer_id);
          notifyError(error, 'Could not change the pin');
        },
      },
    );

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: 'Delete this note?',
      centered: true,
      children: <Text size="sm">The note and its edit history are deleted. This cannot be undone.</Text>,
      labels: { confirm: 'Delete note', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(note.id, {
          onSuccess: () => notifySuccess('Note deleted'),
          onError: (error) => notifyError(error, 'Could not delete the note'),
        }),
    });

  return (
    <Card withBorder padding="sm" component="article" aria-label={`Note by ${author}`}>
      <Group justify="space-between" wrap="nowrap" gap="xs" mb={6}>
        <Group gap={8} wrap="wrap">
          <NoteTypeBadge type={note.note_type} />
          {note.pinned ? (
            <IconPinFilled size={14} aria-label="Pinned" role="img" color="var(--mantine-color-orange-6)" />
          ) : null}
          <Text size="sm" fw={600}>
            {author}
          </Text>
          <Tooltip label={formatDateTime(note.created_at)}>
            <Text size="xs" c="dimmed" component="time" dateTime={note.created_at}>
              {formatRelative(note.created_at)}
            </Text>
          </Tooltip>
          {note.edited ? (
            <UnstyledButton onClick={() => setHistoryOpen(true)} aria-label="Edited: show edit history">
              <Text size="xs" c="dimmed" td="underline">
                edited
              </Text>
            </UnstyledButton>
          ) : null}
        </Group>
        {canChange && !editing ? (
          <Group gap={2} wrap="nowrap">
            <Tooltip label={note.pinned ? 'Unpin' : 'Pin to top'}>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={note.pinned ? 'Unpin note' : 'Pin note'}
                loading={update.isPending}
                onClick={togglePin}
              >
                {note.pinned ? <IconPinnedOff size={16} /> : <IconPin size={16} />}
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Edit">
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label="Edit note"
                onClick={() => setEditing(true)}
              >
                <IconPencil size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Delete">
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label="Delete note"
                loading={remove.isPending}
                onClick={confirmDelete}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        ) : null}
      </Group>
      {editing ? (
        <NoteEditForm note={note} onDone={() => setEditing(false)} />
      ) : (
        <Markdown source={note.content} />
      )}
      {note.edited ? (
        <NoteRevisionsModal note={note} opened={historyOpen} onClose={() => setHistoryOpen(false)} />
      ) : null}
    </Card>
  );
}
