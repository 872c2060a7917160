import { Card, Group, Modal, Skeleton, Stack, Text } from '@mantine/core';
import type { Note } from '../../../../shared/notes.js';
import { Markdown } from '../../../components/markdown.js';
import { QueryError } from '../../../components/query-error.js';
import { formatDateTime } from '../../../lib/format.js';
import { useNoteRevisions } from '../api/get-note-revisions.js';
import { NoteTypeBadge } from './note-type-badge.js';

/** A note's edit history: its earlier versions, newest first (the note itself is the latest). */
export function NoteRevisionsModal({
  note,
  opened,
  onClose,
}: {
  note: Note;
  opened: boolean;
  onClose: () => void;
}) {
  const revisions = useNoteRevisions(note.id, opened);
  return (
    <Modal opened={opened} onClose={onClose} title="Edit history" size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Last edited by {note.updated_by?.name ?? 'a former colleague'} on {formatDateTime(note.updated_at)}.
          Earlier versions:
        </Text>
        {revisions.isPending ? <Skeleton height={80} /> : null}
        {revisions.isError ? (
          <QueryError error={revisions.error} onRetry={() => void revisions.refetch()} />
        ) : null}
        {revisions.data?.length === 0 ? (
          <Text size="sm" c="dimmed">
            No earlier versions.
          </Text>
        ) : null}
        {revisions.data?.map((revision) => (
          <Card
            key={revision.version}
            withBorder
            padding="sm"
            component="article"
            aria-label={`Version ${revision.version}`}
          >
            <Group gap="xs" mb={6}>
              <Text size="xs" fw={600}>
                Version {revision.version}
              </Text>
              <NoteTypeBadge type={revision.note_type} />
              <Text size="xs" c="dimmed">
                {revision.edited_by?.name ?? 'A former colleague'} · {formatDateTime(revision.edited_at)}
              </Text>
            </Group>
            <Markdown source={revision.content} />
          </Card>
        ))}
      </Stack>
    </Modal>
  );
}
