import { Button, Card, Group, Select, Skeleton, Text, Timeline, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { TimelineKind } from '../../../../shared/customers.js';
import { QueryError } from '../../../components/query-error.js';
import { TimelineEntry } from '../../../components/timeline-entry.js';
import { timelineKindOptions } from '../../../components/timeline-kinds.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { useCustomerTimeline } from '../api/get-customer-timeline.js';

const kindOptions = [{ value: 'all', label: 'All activity' }, ...timelineKindOptions];

/** The customer's activity, newest first, one page at a time. */
export function CustomerTimeline({ customerId }: { customerId: string }) {
  const [kind, setKind] = useState<string>('all');
  const kinds = kind === 'all' ? [] : ([kind] as TimelineKind[]);
  const query = useCustomerTimeline(customerId, kinds);
  const events = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="timeline-title">
      <Group justify="space-between" mb="md" wrap="nowrap">
        <Title order={2} size="h4" id="timeline-title">
          Timeline
        </Title>
        <Select
          aria-label="Show activity of kind"
          data={kindOptions}
          value={kind}
          onChange={(v) => setKind(v ?? 'all')}
          allowDeselect={false}
          size="xs"
          w={180}
        />
      </Group>
      {query.isPending ? (
        <Skeleton height={160} />
      ) : query.isError ? (
        <QueryError
          error={query.error}
          onRetry={() => void query.refetch()}
          title="Could not load the timeline"
        />
      ) : events.length === 0 ? (
        <Text size="sm" c="dimmed">
          No activity yet.
        </Text>
      ) : (
        <Timeline bulletSize={26} lineWidth={2} active={-1}>
          {events.map((event) => (
            <TimelineEntry
              key={event.id}
              event={event}
              meta={
                <>
                  <Tooltip label={formatDateTime(event.occurred_at)}>
                    <time dateTime={event.occurred_at}>{formatRelative(event.occurred_at)}</time>
                  </Tooltip>
                  {event.actor ? ` · by ${event.actor.name ?? 'a staff member'}` : ''}
                </>
              }
            />
          ))}
        </Timeline>
      )}
      {query.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button
            variant="light"
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
          >
            Load more activity
          </Button>
        </Group>
      ) : null}
    </Card>
  );
}
