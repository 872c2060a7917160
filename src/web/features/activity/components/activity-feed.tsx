import { Button, Card, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconActivity } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { useMe, usePermission } from '../../auth/api/get-me.js';
import { useActivity } from '../api/get-activity.js';
import { readActivityParams, writeActivityParams } from '../activity-params.js';
import { useLiveActivity } from '../use-live-activity.js';
import { ActivityDay, groupByDay } from './activity-day.js';
import { ActivityFilters } from './activity-filters.js';

/** What the team did across customers, newest first, filtered by who and what (kept in the URL). */
export function ActivityFeed() {
  const [params, setParams] = useSearchParams();
  const filters = readActivityParams(params);
  const { data: me } = useMe();
  const query = useActivity(filters);
  useLiveActivity(usePermission('customers:read'));
  const events = query.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = filters.actor !== null || filters.kinds.length > 0;

  return (
    <>
      <PageHeader title="Team activity" description="What staff did across customers, newest first." />
      <ActivityFilters
        value={filters}
        meId={me?.id}
        onChange={(next) => setParams(writeActivityParams(next), { replace: true })}
      />
      <Card withBorder padding="lg">
        {query.isPending ? (
          <Stack gap="md" aria-label="Loading activity">
            <Skeleton height={14} width={120} />
            <Skeleton height={40} />
            <Skeleton height={40} />
            <Skeleton height={40} />
          </Stack>
        ) : query.isError ? (
          <QueryError
            error={query.error}
            onRetry={() => void query.refetch()}
            title="Could not load activity"
          />
        ) : events.length === 0 ? (
          <Stack align="center" gap={4} py="xl">
            <IconActivity size={32} stroke={1.4} color="var(--mantine-color-dimmed)" />
            <Text fw={600}>No activity{filtered ? ' matches these filters' : ' yet'}</Text>
            <Text size="sm" c="dimmed">
              {filtered
                ? 'Try everyone, or more kinds of activity.'
                : 'Notes, tickets, tasks and other changes by staff show up here.'}
            </Text>
          </Stack>
        ) : (
          groupByDay(events).map((d) => <ActivityDay key={d.day} day={d.day} events={d.events} />)
        )}
        {query.hasNextPage ? (
          <Group justify="center">
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
    </>
  );
}
