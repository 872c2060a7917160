import '@mantine/charts/styles.css';

import { BarChart } from '@mantine/charts';
import { Badge, Box, Grid, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import dayjs from 'dayjs';
import type { CustomerInsights } from '../../../../shared/analytics.js';
import { formatCount, formatDate, formatMoney } from '../../../lib/format.js';
import { formatChangePct, formatDays, monthNames, weekdayNames } from '../analytics-format.js';
import { useCustomerInsights } from '../api/get-customer-insights.js';
import { ProfileCard, ProfileCardEmpty } from './profile-card.js';

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="lg" fw={700} data-testid={testId}>
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

function nextOrderHint(date: string | null): string | undefined {
  if (!date) return undefined;
  const days = dayjs(date).startOf('day').diff(dayjs().startOf('day'), 'day');
  if (days === 0) return 'today';
  return days > 0 ? `in ${formatDays(days)}` : `${formatDays(-days)} overdue`;
}

function SpendTrend({ trend }: { trend: CustomerInsights['spend_trend'] }) {
  if (trend.direction === 'unknown') {
    return (
      <Text size="sm" c="dimmed">
        Not enough orders to tell a trend.
      </Text>
    );
  }
  const Icon =
    trend.direction === 'rising'
      ? IconArrowUpRight
      : trend.direction === 'falling'
        ? IconArrowDownRight
        : IconArrowRight;
  return (
    <Group gap="xs" wrap="wrap">
      <Badge
        color={trend.direction === 'rising' ? 'teal' : trend.direction === 'falling' ? 'red' : 'gray'}
        leftSection={<Icon size={12} aria-hidden />}
        data-testid="spend-trend"
      >
        {trend.direction === 'rising' ? 'Rising' : trend.direction === 'falling' ? 'Falling' : 'Steady'}
        {trend.change_pct !== null ? ` ${formatChangePct(trend.change_pct)}` : ''}
      </Badge>
      <Text size="sm" c="dimmed">
        Recent orders average {formatMoney(trend.recent_average)}, earlier ones{' '}
        {formatMoney(trend.earlier_average)}.
      </Text>
    </Group>
  );
}

function PatternChart({
  title,
  labels,
  names,
  counts,
}: {
  title: string;
  labels: string[];
  names: string[];
  counts: number[];
}) {
  const data = counts.map((n, i) => ({ label: labels[i] ?? String(i), Orders: n }));
  const most = Math.max(0, ...counts);
  const top = counts.flatMap((n, i) => (n === most && most > 0 ? [names[i]] : []));
  const summary = most > 0 ? `Most orders on ${top.join(', ')} (${formatCount(most)}).` : 'No orders.';
  return (
    <Stack gap={4}>
      <Title order={3} size="h6">
        {title}
      </Title>
      <Box
        role="img"
        aria-label={`${title}: ${counts.map((n, i) => `${names[i]} ${n}`).join(', ')}. ${summary}`}
      >
        <BarChart
          h={120}
          data={data}
          dataKey="label"
          series={[{ name: 'Orders', color: 'indigo.5' }]}
          gridAxis="none"
          withYAxis={false}
          xAxisProps={{ interval: 0, tickMargin: 4 }}
          barProps={{ radius: 3 }}
          withBarValueLabel
          valueFormatter={formatCount}
          accessibilityLayer={false}
        />
      </Box>
      <Text size="xs" c="dimmed">
        {summary}
      </Text>
    </Stack>
  );
}

const orders = (n: number) => `${formatCount(n)} ${n === 1 ? 'order' : 'orders'}`;

function Favourites({ insights }: { insights: CustomerInsights }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      <RankedTable
        title="Favourite categories"
        empty="No categories on their items."
        rows={insights.favourite_categories.map((c) => ({
          key: c.category,
          label: c.category,
          cells: [orders(c.orders), formatMoney(c.revenue)],
        }))}
      />
      <RankedTable
        title="Favourite products"
        empty="No products yet."
        rows={insights.favourite_products.map((p) => ({
          key: p.product_id,
          label: p.name,
          cells: [`${formatCount(p.quantity)} bought`, orders(p.orders)],
        }))}
      />
    </SimpleGrid>
  );
}

/** A titled top-N list: a row header and two figures per row (the first dimmed). */
function RankedTable(props: {
  title: string;
  empty: string;
  rows: { key: string; label: string; cells: [string, string] }[];
}) {
  return (
    <div>
      <Title order={3} size="h6" mb={4}>
        {props.title}
      </Title>
      {props.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {props.empty}
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm" aria-label={props.title}>
          <Table.Tbody>
            {props.rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Th scope="row" fw={500}>
                  {r.label}
                </Table.Th>
                {/* the figures stay on one line; a long name wraps instead */}
                <Table.Td ta="right" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {r.cells[0]}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {r.cells[1]}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}

function Patterns({ insights }: { insights: CustomerInsights }) {
  const interval =
    insights.average_days_between_orders === null
      ? 'Needs two order days'
      : `median ${formatDays(insights.median_days_between_orders)}`;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Stat
          label="Between orders"
          value={formatDays(insights.average_days_between_orders)}
          hint={insights.average_days_between_orders === null ? interval : `on average; ${interval}`}
          testId="average-days"
        />
        <Stat
          label="Next order expected"
          value={formatDate(insights.next_expected_order_date)}
          hint={nextOrderHint(insights.next_expected_order_date) ?? 'Needs two order days'}
          testId="next-order"
        />
        <Stat
          label="Order days"
          value={formatCount(insights.order_days)}
          hint={`${formatDate(insights.first_order_date)} – ${formatDate(insights.last_order_date)}`}
          testId="order-days"
        />
      </SimpleGrid>
      <div>
        <Title order={3} size="h6" mb={4}>
          Spend trend
        </Title>
        <SpendTrend trend={insights.spend_trend} />
      </div>
      <Favourites insights={insights} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <PatternChart
            title="By weekday"
            labels={weekdayNames.map((d) => d.slice(0, 3))}
            names={weekdayNames}
            counts={insights.day_of_week}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 7 }}>
          <PatternChart
            title="By month"
            labels={monthNames.map((m) => m.slice(0, 1))}
            names={monthNames}
            counts={insights.month_of_year}
          />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** How this customer buys: interval between orders, next expected order, favourites, timing, trend. */
export function OrderPatternsCard({ customerId }: { customerId: string }) {
  const insights = useCustomerInsights(customerId);
  return (
    <ProfileCard
      id="order-patterns-title"
      title="Order patterns"
      query={insights}
      errorTitle="Could not load order patterns"
    >
      {() =>
        !insights.data || insights.data.orders === 0 ? (
          <ProfileCardEmpty title="No orders yet">
            Patterns show here after the customer's first paid order.
          </ProfileCardEmpty>
        ) : (
          <Patterns insights={insights.data} />
        )
      }
    </ProfileCard>
  );
}
