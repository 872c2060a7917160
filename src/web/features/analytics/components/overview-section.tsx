import '@mantine/charts/styles.css';

import { AreaChart, BarChart } from '@mantine/charts';
import { Box, Grid, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconChartAreaLine } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import type { Overview } from '../../../../shared/analytics.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatDate, formatMoney } from '../../../lib/format.js';
import type { AnalyticsParams } from '../analytics-params.js';
import { periodPresets } from '../analytics-params.js';
import { useOverview } from '../api/get-overview.js';
import { KpiCard, type KpiName } from './kpi-card.js';
import { SectionEmpty, SectionLoading } from './section-states.js';

const kpiOrder: KpiName[] = [
  'revenue',
  'orders',
  'average_order_value',
  'active_customers',
  'new_customers',
  'customers',
  'repeat_rate',
  'churn_rate',
];

const presetLabel = (days: number) => (days === 365 ? '12 months' : `${days} days`);

function rangeText(range: { from: string; to: string }): string {
  const from = dayjs(range.from);
  const to = dayjs(range.to);
  if (from.year() === to.year()) return `${from.format('D MMM')} – ${to.format('D MMM YYYY')}`;
  return `${formatDate(range.from)} – ${formatDate(range.to)}`;
}

function RevenueChart({ overview }: { overview: Overview }) {
  const data = useMemo(
    () =>
      overview.revenue_by_day.map((d) => ({
        day: dayjs(d.date).format('D MMM'),
        Revenue: d.revenue,
        Orders: d.orders,
      })),
    [overview.revenue_by_day],
  );
  const best = overview.revenue_by_day.reduce<Overview['revenue_by_day'][number] | null>(
    (top, d) => (!top || d.revenue > top.revenue ? d : top),
    null,
  );
  const total = overview.revenue_by_day.reduce((sum, d) => sum + d.revenue, 0);
  const summary =
    best && best.revenue > 0
      ? `${formatMoney(total)} over ${formatCount(data.length)} days; best day ${formatDate(best.date)} (${formatMoney(best.revenue)}).`
      : 'No revenue in this period.';
  return (
    <Paper withBorder p="md" radius="md" h="100%" component="section" aria-labelledby="revenue-by-day-title">
      <Title order={3} size="h5" id="revenue-by-day-title">
        Revenue by day
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {summary}
      </Text>
      <Box role="img" aria-label={`Revenue per day. ${summary}`}>
        <AreaChart
          h={240}
          data={data}
          dataKey="day"
          series={[{ name: 'Revenue', color: 'indigo.6' }]}
          curveType="monotone"
          withDots={data.length <= 31}
          valueFormatter={(v) => formatMoney(v)}
          yAxisProps={{ width: 80 }}
          tickLine="y"
          accessibilityLayer={false}
        />
      </Box>
    </Paper>
  );
}

function ValueDistribution({ overview }: { overview: Overview }) {
  const data = overview.value_distribution.map((b) => ({ band: b.band, Customers: b.customers }));
  const total = overview.value_distribution.reduce((sum, b) => sum + b.customers, 0);
  const largest = overview.value_distribution.reduce<Overview['value_distribution'][number] | null>(
    (top, b) => (!top || b.customers > top.customers ? b : top),
    null,
  );
  const summary =
    largest && total > 0
      ? `${formatCount(total)} customers; most (${formatCount(largest.customers)}) in ${largest.band}.`
      : 'No customer has a predicted value yet.';
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      h="100%"
      component="section"
      aria-labelledby="value-distribution-title"
    >
      <Title order={3} size="h5" id="value-distribution-title">
        Predicted 12-month value
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {summary}
      </Text>
      <Box role="img" aria-label={`Customers by predicted 12-month value. ${summary}`}>
        <BarChart
          h={240}
          data={data}
          dataKey="band"
          series={[{ name: 'Customers', color: 'teal.6' }]}
          // bands down the side: their labels ("1,000–2,500") are too long to sit under narrow bars
          orientation="vertical"
          valueFormatter={formatCount}
          xAxisProps={{ allowDecimals: false, domain: [0, (max: number) => Math.ceil(max * 1.12)] }}
          yAxisProps={{ width: 84, interval: 0 }}
          gridAxis="x"
          withBarValueLabel
          accessibilityLayer={false}
        />
      </Box>
    </Paper>
  );
}

/** The period's KPIs against the previous period, revenue per day and customers by predicted value. */
export function OverviewSection({
  params,
  onChange,
}: {
  params: AnalyticsParams;
  onChange: (patch: Partial<AnalyticsParams>) => void;
}) {
  const overview = useOverview({ from: params.from, to: params.to });
  const data = overview.data;
  const empty =
    data !== undefined &&
    data.kpis.customers.value === 0 &&
    data.kpis.orders.value === 0 &&
    data.kpis.orders.previous === 0;

  return (
    <Stack gap="sm" component="section" aria-labelledby="overview-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2} size="h3" id="overview-title">
            Overview
          </Title>
          <Text size="sm" c="dimmed" mih={20}>
            {data ? `${rangeText(data.period)}, against ${rangeText(data.previous_period)}` : '\u00a0'}
          </Text>
        </div>
        <Group gap="sm" wrap="wrap">
          <SegmentedControl
            size="xs"
            aria-label="Period"
            // a period picked in the calendar selects none of the presets
            value={params.days === null ? '' : String(params.days)}
            onChange={(v) => onChange({ days: Number(v) })}
            data={periodPresets.map((d) => ({ value: String(d), label: presetLabel(d) }))}
          />
          <DatePickerInput
            type="range"
            size="xs"
            // the name holds the dates as shown (axe: visible text is part of the name)
            aria-label={`Period: ${formatDate(params.from)} – ${formatDate(params.to)}`}
            valueFormat="D MMM YYYY"
            maxDate={new Date()}
            allowSingleDateInRange
            value={[params.from, params.to]}
            onChange={([from, to]) => {
              if (from && to)
                onChange({
                  days: null,
                  from: dayjs(from).format('YYYY-MM-DD'),
                  to: dayjs(to).format('YYYY-MM-DD'),
                });
            }}
            w={210}
            popoverProps={{ withinPortal: true }}
          />
        </Group>
      </Group>

      {overview.isPending ? (
        <SectionLoading label="Loading the overview" h={320} />
      ) : overview.isError ? (
        <QueryError
          error={overview.error}
          onRetry={() => void overview.refetch()}
          title="Could not load the overview"
        />
      ) : empty ? (
        <SectionEmpty
          icon={<IconChartAreaLine size={40} stroke={1.4} opacity={0.5} aria-hidden />}
          title="No customers or orders yet"
        >
          Figures appear here once customers place orders, by hand, through the orders API or the ingest of an
          order system.
        </SectionEmpty>
      ) : (
        <Stack
          gap="md"
          style={{ opacity: overview.isPlaceholderData ? 0.6 : 1 }}
          aria-busy={overview.isPlaceholderData}
        >
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            {kpiOrder.map((name) => (
              <KpiCard key={name} name={name} kpi={overview.data.kpis[name]} />
            ))}
          </SimpleGrid>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <RevenueChart overview={overview.data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <ValueDistribution overview={overview.data} />
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </Stack>
  );
}
