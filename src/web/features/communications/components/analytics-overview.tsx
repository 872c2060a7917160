import { Button, Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconMailOff } from '@tabler/icons-react';
import { useMemo } from 'react';
import { QueryError } from '../../../components/query-error.js';
import { useAnalytics } from '../api/get-analytics.js';
import { AnalyticsCharts } from './analytics-charts.js';
import { AnalyticsStats } from './analytics-stats.js';
import { AnalyticsTables } from './analytics-tables.js';
import {
  type AnalyticsInterval,
  analyticsIntervals,
  analyticsPeriods,
  analyticsQuery,
} from './communications-params.js';

function EmptyState({ days, onStartCampaign }: { days: number; onStartCampaign?: () => void }) {
  return (
    <Paper withBorder radius="md" p="xl">
      <Stack align="center" gap="xs">
        <IconMailOff size={40} stroke={1.4} opacity={0.5} aria-hidden />
        <Text fw={600}>No email sent in this period</Text>
        <Text size="sm" c="dimmed" ta="center" maw={460}>
          Nothing went out in the last {days} days. Send an email from a customer's profile, or start a
          campaign to a segment; opens, clicks and replies show here as they come in.
        </Text>
        {onStartCampaign ? (
          <Button variant="light" mt="xs" onClick={onStartCampaign}>
            Go to campaigns
          </Button>
        ) : null}
      </Stack>
    </Paper>
  );
}

function Loading() {
  return (
    <Stack gap="md" role="status" aria-busy="true" aria-label="Loading analytics">
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }}>
        {Array.from({ length: 7 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
          <Skeleton key={i} height={84} />
        ))}
      </SimpleGrid>
      <Skeleton height={300} />
      <Skeleton height={200} />
    </Stack>
  );
}

/** How email did over the chosen period: totals, rates over time, and per template, campaign and segment. */
export function AnalyticsOverview({
  days,
  interval,
  onChange,
  onStartCampaign,
}: {
  days: number;
  interval: AnalyticsInterval;
  onChange: (patch: { days?: number; interval?: AnalyticsInterval }) => void;
  onStartCampaign?: () => void;
}) {
  const params = useMemo(() => analyticsQuery(days, interval), [days, interval]);
  const analytics = useAnalytics(params);

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <SegmentedControl
          aria-label="Period"
          size="xs"
          value={String(days)}
          onChange={(value) => onChange({ days: Number(value) })}
          data={analyticsPeriods.map((d) => ({ value: String(d), label: `Last ${d} days` }))}
        />
        <SegmentedControl
          aria-label="Interval"
          size="xs"
          value={interval}
          onChange={(value) => onChange({ interval: value as AnalyticsInterval })}
          data={analyticsIntervals.map((i) => ({ value: i, label: `By ${i}` }))}
        />
      </Group>
      {analytics.isPending ? (
        <Loading />
      ) : analytics.isError ? (
        <QueryError
          error={analytics.error}
          title="Could not load the analytics"
          onRetry={() => void analytics.refetch()}
        />
      ) : analytics.data.totals.sent === 0 ? (
        <EmptyState days={days} onStartCampaign={onStartCampaign} />
      ) : (
        <Stack
          gap="md"
          style={{ opacity: analytics.isPlaceholderData ? 0.6 : 1 }}
          aria-busy={analytics.isFetching}
        >
          <AnalyticsStats totals={analytics.data.totals} />
          <AnalyticsCharts analytics={analytics.data} />
          <AnalyticsTables analytics={analytics.data} />
        </Stack>
      )}
    </Stack>
  );
}
