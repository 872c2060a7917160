import { Button, Center, Group, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { IconMessages, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { type Interaction, type InteractionType, interactionTypes } from '../../../../shared/interactions.js';
import { QueryError } from '../../../components/query-error.js';
import { humanize } from '../../../lib/format.js';
import { useMe, usePermission } from '../../auth/api/get-me.js';
import { useCustomerInteractions } from '../api/get-customer-interactions.js';
import { InteractionFormModal } from './interaction-form-modal.js';
import { InteractionItem } from './interaction-item.js';

type Filter = InteractionType | 'all';
const filters = [
  { value: 'all', label: 'All' },
  ...interactionTypes.map((t) => ({ value: t, label: humanize(t) })),
];

/** The customer's interactions log, newest first, with a type filter, load more, and "Log interaction". */
export function CustomerInteractions({ customerId }: { customerId: string }) {
  const canWrite = usePermission('customers:write');
  const me = useMe().data;
  const [filter, setFilter] = useState<Filter>('all');
  // null: closed; 'new': logging one; otherwise the interaction being edited
  const [form, setForm] = useState<Interaction | 'new' | null>(null);
  const log = useCustomerInteractions(customerId, filter === 'all' ? null : filter);
  const list = log.data?.pages.flatMap((page) => page.data) ?? [];
  const mayChange = (i: Interaction) =>
    canWrite && (me?.role === 'admin' || (i.author !== null && i.author.id === me?.id));

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <SegmentedControl
          size="xs"
          data={filters}
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          aria-label="Interaction type"
        />
        {canWrite ? (
          <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setForm('new')}>
            Log interaction
          </Button>
        ) : null}
      </Group>
      {log.isPending ? (
        <Stack gap="sm" aria-label="Loading interactions">
          <Skeleton height={64} />
          <Skeleton height={64} />
        </Stack>
      ) : null}
      {log.isError ? <QueryError error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.isSuccess && list.length === 0 ? (
        <Center py="lg">
          <Stack gap={4} align="center">
            <IconMessages size={28} color="var(--mantine-color-dimmed)" aria-hidden />
            <Text size="sm" c="dimmed">
              {filter === 'all'
                ? 'No interactions logged yet.'
                : `No ${humanize(filter).toLowerCase()} interactions.`}
            </Text>
          </Stack>
        </Center>
      ) : null}
      {list.length > 0 ? (
        <Stack gap="sm" role="feed" aria-label="Interactions" aria-busy={log.isFetching}>
          {list.map((interaction) => (
            <InteractionItem
              key={interaction.id}
              interaction={interaction}
              canChange={mayChange(interaction)}
              onEdit={() => setForm(interaction)}
            />
          ))}
        </Stack>
      ) : null}
      {log.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          style={{ alignSelf: 'center' }}
          loading={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          Load more
        </Button>
      ) : null}
      {form ? (
        <InteractionFormModal
          key={form === 'new' ? 'new' : form.id}
          customerId={customerId}
          interaction={form === 'new' ? undefined : form}
          onClose={() => setForm(null)}
        />
      ) : null}
    </Stack>
  );
}
