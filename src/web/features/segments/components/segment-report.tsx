import '@mantine/charts/styles.css';

import { AreaChart, BarChart } from '@mantine/charts';
import {
  Box,
  Card,
  Grid,
  Group,
  Paper,
  RingProgress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import dayjs from 'dayjs';
import { type ReactNode, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { lifecycleStages } from '../../../../shared/enums.js';
import type { SegmentReport as Report } from '../../../../shared/segments.js';
import { QueryError } from '../../../components/query-error.js';
import { isApiError } from '../../../lib/api-client.js';
import { formatCount, formatMoney, humanize } from '../../../lib/format.js';
import { TagBadge } from '../../tags/components/tag-badge.js';
import {
  defaultSegmentReportDays,
  segmentReportPeriods,
  useSegmentReport,
} from '../api/get-segment-report.js';
import { customerCount } from './segment-type-badge.js';

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** The report period from the URL (`?days=`), one of the offered periods. */
function useReportDays(): [number, (days: number) => void] {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('days'));
  const days = (segmentReportPeriods as readonly number[]).includes(asked) ? asked : defaultSegmentReportDays;
  const setDays = (next: number) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next === defaultSegmentReportDays) updated.delete('days');
        else updated.set('days', String(next));
        return updated;
      },
      { replace: true },
    );
  return [days, setDays];
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700} mt={2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" h="100%" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function SizeHistory({ report, days }: { report: Report; days: number }) {
  const data = useMemo(
    () =>
      report.size_history.map((point) => ({
        day: dayjs(point.day).format('D MMM'),
        Customers: point.customer_count,
      })),
    [report.size_history],
  );
  const first = report.size_history[0];
  const change = first ? report.customer_count - first.customer_count : 0;
  const summary =
    data.length < 2
      ? `${customerCount(report.customer_count)} today; history builds up day by day.`
      : `${customerCount(report.customer_count)} today, ${change >= 0 ? 'up' : 'down'} ${formatCount(Math.abs(change))} since ${dayjs(first?.day).format('D MMM YYYY')}.`;
  return (
    <Section title="Size over time">
      <Text size="sm" c="dimmed" mb="xs">
        {summary}
      </Text>
      {data.length < 2 ? (
        <Text size="sm" c="dimmed" ta="center" py="xl">
          Not enough history in the last {days} days to draw a trend yet.
        </Text>
      ) : (
        <Box role="img" aria-label={`Segment size over the last ${days} days. ${summary}`}>
          <AreaChart
            h={220}
            data={data}
            dataKey="day"
            series={[{ name: 'Customers', color: 'teal.6' }]}
            curveType="monotone"
            withDots={data.length <= 31}
            valueFormatter={formatCount}
            yAxisProps={{ allowDecimals: false }}
            accessibilityLayer={false}
          />
        </Box>
      )}
    </Section>
  );
}

function RevenueShare({ revenue }: { revenue: Report['revenue'] }) {
  const share = Math.max(0, Math.min(1, revenue.share));
  return (
    <Section title="Revenue share">
      <Group wrap="nowrap" gap="md" align="center">
        <RingProgress
          size={128}
          thickness={14}
          roundCaps
          sections={[{ value: share * 100, color: 'teal.6' }]}
          aria-hidden
          label={
            <Text ta="center" fw={700} size="lg">
              {percent.format(share)}
            </Text>
          }
        />
        <Stack gap={4}>
          <Text size="sm">
            <Text span fw={700}>
              {formatMoney(revenue.segment)}
            </Text>{' '}
            of {formatMoney(revenue.total)} lifetime revenue
          </Text>
          <Text size="sm" c="dimmed">
            {percent.format(share)} of all revenue comes from this segment.
          </Text>
        </Stack>
      </Group>
    </Section>
  );
}

function Lifecycle({ lifecycle }: { lifecycle: Report['lifecycle'] }) {
  const data = lifecycleStages.map((stage) => ({
    stage: humanize(stage),
    Customers: lifecycle.find((l) => l.stage === stage)?.customers ?? 0,
  }));
  const summary = data.map((d) => `${d.stage}: ${formatCount(d.Customers)}`).join(', ');
  return (
    <Section title="Lifecycle stages">
      <Box role="img" aria-label={`Members by lifecycle stage. ${summary}`}>
        <BarChart
          h={200}
          data={data}
          dataKey="stage"
          series={[{ name: 'Customers', color: 'indigo.6' }]}
          valueFormatter={formatCount}
          withBarValueLabel
          yAxisProps={{ allowDecimals: false }}
          accessibilityLayer={false}
        />
      </Box>
    </Section>
  );
}

function TopTags({ tags }: { tags: Report['tags'] }) {
  return (
    <Section title="Top tags">
      {tags.length === 0 ? (
        <Text size="sm" c="dimmed">
          No member carries a tag.
        </Text>
      ) : (
        <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Top tags">
          {tags.map((tag) => (
            <Group key={tag.id} component="li" justify="space-between" wrap="nowrap" gap="sm">
              <TagBadge tag={tag} size="md" />
              <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {customerCount(tag.customers)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** What the segment is worth and who is in it, over a chosen period. */
export function SegmentReport({ segmentId }: { segmentId: string }) {
  const [days, setDays] = useReportDays();
  const report = useSegmentReport(segmentId, days);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="segment-report-title">
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <Title order={2} size="h4" id="segment-report-title">
          Report
        </Title>
        <SegmentedControl
          aria-label="Report period"
          size="xs"
          value={String(days)}
          onChange={(value) => setDays(Number(value))}
          data={segmentReportPeriods.map((d) => ({ value: String(d), label: `${d} days` }))}
        />
      </Group>
      {report.isPending ? (
        <Stack gap="md" role="status" aria-busy="true" aria-label="Loading report">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Skeleton height={84} />
            <Skeleton height={84} />
            <Skeleton height={84} />
          </SimpleGrid>
          <Skeleton height={260} />
        </Stack>
      ) : report.isError ? (
        <QueryError
          error={report.error}
          title="Could not load the report"
          onRetry={isApiError(report.error, 404) ? undefined : () => void report.refetch()}
        />
      ) : (
        <Stack gap="md" style={{ opacity: report.isPlaceholderData ? 0.6 : 1 }} aria-busy={report.isFetching}>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <Stat label="Avg lifetime value" value={formatMoney(report.data.averages.lifetime_value)} />
            <Stat label="Avg order value" value={formatMoney(report.data.averages.average_order_value)} />
            <Stat
              label="Avg orders"
              value={oneDecimal.format(report.data.averages.total_orders)}
              hint="per customer"
            />
          </SimpleGrid>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <SizeHistory report={report.data} days={days} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <RevenueShare revenue={report.data.revenue} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Lifecycle lifecycle={report.data.lifecycle} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TopTags tags={report.data.tags} />
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </Card>
  );
}
