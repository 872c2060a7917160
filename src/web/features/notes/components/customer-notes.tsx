import { Button, Center, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { IconNote } from '@tabler/icons-react';
import { useState } from 'react';
import { type NoteType, noteTypes } from '../../../../shared/notes.js';
import { QueryError } from '../../../components/query-error.js';
import { humanize } from '../../../lib/format.js';
import { useMe, usePermission } from '../../auth/api/get-me.js';
import { useCustomerNotes } from '../api/get-customer-notes.js';
import { NoteCard } from './note-card.js';
import { NoteComposer } from './note-composer.js';

type Filter = NoteType | 'all';
const filters = [{ value: 'all', label: 'All' }, ...noteTypes.map((t) => ({ value: t, label: humanize(t) }))];

/** The customer's notes, pinned first: a composer for those who may write, a type filter, load more. */
export function CustomerNotes({ customerId }: { customerId: string }) {
  const canWrite = usePermission('customers:write');
  const me = useMe().data;
  const [filter, setFilter] = useState<Filter>('all');
  const notes = useCustomerNotes(customerId, filter === 'all' ? null : filter);
  const list = notes.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack gap="md">
      {canWrite ? <NoteComposer customerId={customerId} /> : null}
      <SegmentedControl
        size="xs"
        data={filters}
        value={filter}
        onChange={(v) => setFilter(v as Filter)}
        aria-label="Note type"
        style={{ alignSelf: 'flex-start' }}
      />
      {notes.isPending ? (
        <Stack gap="sm" aria-label="Loading notes">
          <Skeleton height={72} />
          <Skeleton height={72} />
        </Stack>
      ) : null}
      {notes.isError ? <QueryError error={notes.error} onRetry={() => void notes.refetch()} /> : null}
      {notes.isSuccess && list.length === 0 ? (
        <Center py="lg">
          <Stack gap={4} align="center">
            <IconNote size={28} color="var(--mantine-color-dimmed)" aria-hidden />
            <Text size="sm" c="dimmed">
              {filter !== 'all'
                ? `No ${humanize(filter).toLowerCase()} notes.`
                : canWrite
                  ? 'No notes yet — write the first one.'
                  : 'No notes yet.'}
            </Text>
          </Stack>
        </Center>
      ) : null}
      {list.length > 0 ? (
        <Stack gap="sm" role="feed" aria-label="Notes" aria-busy={notes.isFetching}>
          {list.map((note) => (
            <NoteCard
              key={note.id}
              note={note}
              canChange={
                canWrite && (me?.role === 'admin' || (note.author !== null && note.author.id === me?.id))
              }
            />
          ))}
        </Stack>
      ) : null}
      {notes.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          style={{ alignSelf: 'center' }}
          loading={notes.isFetchingNextPage}
          onClick={() => void notes.fetchNextPage()}
        >
          Load more
        </Button>
      ) : null}
    </Stack>
  );
}
