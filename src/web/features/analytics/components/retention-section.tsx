import '@mantine/charts/styles.css';

import { LineChart } from '@mantine/charts';
import { Box, Grid, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconCalendarStats, IconUserCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Churn } from '../../../../shared/analytics.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatMoney } from '../../../lib/format.js';
import { formatMonth, formatShare } from '../analytics-format.js';
import { monthChoices } from '../analytics-params.js';
import { useChurn } from '../api/get-churn.js';
import { useCohorts } from '../api/get-cohorts.js';
import { CohortHeatmap } from './cohort-heatmap.js';
import { SectionEmpty, SectionLoading } from './section-states.js';
import { WinBackTable } from './win-back-table.js';

const winBackLimit = 10;

function CohortsCard({ months }: { months: number }) {
  const cohorts = useCohorts({ months });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="cohorts-title">
      <Group justify="space-between" align="baseline" wrap="wrap" gap="xs">
        <Title order={3} size="h5" id="cohorts-title">
          Retention by acquisition month
        </Title>
        {cohorts.data?.cohorts.some((c) => c.customers > 0) ? (
          <Text size="sm" c="dimmed" data-testid="repeat-purchase-rate">
            Repeat purchase rate: <b>{formatShare(cohorts.data.repeat_purchase_rate)}</b>
          </Text>
        ) : null}
      </Group>
      <Box mt="sm">
        {cohorts.isPending ? (
          <SectionLoading label="Loading cohorts" />
        ) : cohorts.isError ? (
          <QueryError
            error={cohorts.error}
            onRetry={() => void cohorts.refetch()}
            title="Could not load cohorts"
          />
        ) : cohorts.data.cohorts.every((c) => c.customers === 0) ? (
          <SectionEmpty
            icon={<IconCalendarStats size={36} stroke={1.4} opacity={0.5} aria-hidden />}
            title="No cohorts yet"
          >
            Customers join a cohort with their first order; none ordered in the last {months} months.
          </SectionEmpty>
        ) : (
          <div style={{ opacity: cohorts.isPlaceholderData ? 0.6 : 1 }} aria-busy={cohorts.isPlaceholderData}>
            <CohortHeatmap cohorts={cohorts.data.cohorts} />
          </div>
        )}
      </Box>
    </Paper>
  );
}

function ChurnChart({ churn }: { churn: Churn }) {
  const data = churn.over_time.map((m) => ({
    month: formatMonth(m.month),
    'Churn rate': m.churn_rate * 100,
  }));
  const last = churn.over_time.at(-1);
  const summary = last
    ? `Last month (${formatMonth(last.month)}): ${formatShare(last.churn_rate)} — ${formatCount(last.churned)} of ${formatCount(last.active_at_start)} active customers churned.`
    : 'No active customers in these months.';
  return (
    <>
      <Text size="sm" c="dimmed" mb="sm">
        {summary}
      </Text>
      <Box role="img" aria-label={`Churn rate per month. ${summary}`}>
        <LineChart
          h={260}
          data={data}
          dataKey="month"
          series={[{ name: 'Churn rate', color: 'red.6' }]}
          curveType="linear"
          withDots
          valueFormatter={(v) => `${v.toFixed(1)}%`}
          yAxisProps={{ domain: [0, 'auto'], width: 56 }}
          accessibilityLayer={false}
        />
      </Box>
    </>
  );
}

function ChurnCards({ months }: { months: number }) {
  const churn = useChurn({ months, limit: winBackLimit });
  const body = (render: (data: Churn) => ReactNode) =>
    churn.isPending ? (
      <SectionLoading label="Loading churn" />
    ) : churn.isError ? (
      <QueryError error={churn.error} onRetry={() => void churn.refetch()} title="Could not load churn" />
    ) : (
      render(churn.data)
    );

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, xl: 4 }}>
        <Paper withBorder p="md" radius="md" h="100%" component="section" aria-labelledby="churn-title">
          <Title order={3} size="h5" id="churn-title">
            Churn over time
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {churn.data
              ? `A customer counts as churned after ${formatCount(churn.data.inactive_days)} days without an order.`
              : '\u00a0'}
          </Text>
          {body((data) =>
            data.over_time.every((m) => m.active_at_start === 0) ? (
              <Text size="sm" c="dimmed" py="xl" ta="center">
                No churn to show yet: nobody was an active customer in these months.
              </Text>
            ) : (
              <ChurnChart churn={data} />
            ),
          )}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, xl: 8 }}>
        <Paper withBorder p="md" radius="md" h="100%" component="section" aria-labelledby="win-back-title">
          <Group justify="space-between" align="baseline" wrap="wrap" gap="xs">
            <Title order={3} size="h5" id="win-back-title">
              Worth winning back
            </Title>
            {churn.data && churn.data.win_back.length > 0 ? (
              <Text size="sm" c="dimmed" data-testid="value-at-risk-total">
                Value at risk: <b>{formatMoney(churn.data.value_at_risk_total)}</b>
              </Text>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed" mb="xs">
            High past value, low chance of still being active: lifetime value × (1 − P(active)).
          </Text>
          {body((data) =>
            data.win_back.length === 0 ? (
              <SectionEmpty
                icon={<IconUserCheck size={36} stroke={1.4} opacity={0.5} aria-hidden />}
                title="Nobody to win back"
              >
                No customer with orders looks lost. With a fitted model, those least likely to still be active
                show here.
              </SectionEmpty>
            ) : (
              <WinBackTable customers={data.win_back} />
            ),
          )}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

/** Retention by monthly cohort, churn per month and the customers most worth winning back. */
export function RetentionSection({
  months,
  onMonthsChange,
}: {
  months: number;
  onMonthsChange: (months: number) => void;
}) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="retention-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2} size="h3" id="retention-title">
            Retention and churn
          </Title>
          <Text size="sm" c="dimmed">
            Who comes back after their first order, who stops buying, and who is worth winning back.
          </Text>
        </div>
        <SegmentedControl
          size="xs"
          aria-label="Months shown"
          value={String(months)}
          onChange={(v) => onMonthsChange(Number(v))}
          data={monthChoices.map((m) => ({ value: String(m), label: `${m} months` }))}
        />
      </Group>
      <CohortsCard months={months} />
      <ChurnCards months={months} />
    </Stack>
  );
}
