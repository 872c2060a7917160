import '@mantine/charts/styles.css';

import { BarChart, LineChart } from '@mantine/charts';
import { Box, Grid, Paper, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { type ReactNode, useMemo } from 'react';
import type { CommunicationAnalytics } from '../../../../shared/communications.js';
import { formatCount } from '../../../lib/format.js';
import { formatRate } from './engagement-format.js';

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

function periodLabel(period: string, interval: CommunicationAnalytics['interval']): string {
  const day = dayjs(period);
  if (!day.isValid()) return period;
  if (interval === 'month') return day.format('MMM YYYY');
  return interval === 'week' ? `Wk ${day.format('D MMM')}` : day.format('D MMM');
}

const percentValue = (value: number) => `${value.toFixed(1)}%`;

/** Rates over time (line) and volume per period (bars), each with a text summary for screen readers. */
export function AnalyticsCharts({ analytics }: { analytics: CommunicationAnalytics }) {
  const { series, interval, totals } = analytics;
  const rates = useMemo(
    () =>
      // a period that sent nothing has no rate (not 0%): the line skips it
      series.map((p) => ({
        period: periodLabel(p.period, interval),
        Opened: p.sent > 0 ? p.open_rate * 100 : null,
        Clicked: p.sent > 0 ? p.click_rate * 100 : null,
        Replied: p.sent > 0 ? p.reply_rate * 100 : null,
      })),
    [series, interval],
  );
  const volume = useMemo(
    () => series.map((p) => ({ period: periodLabel(p.period, interval), Sent: p.sent })),
    [series, interval],
  );
  const ratesSummary = `Over the period: ${formatRate(totals.open_rate)} opened, ${formatRate(totals.click_rate)} clicked, ${formatRate(totals.reply_rate)} replied.`;
  const busiest = series.reduce<(typeof series)[number] | null>(
    (top, p) => (!top || p.sent > top.sent ? p : top),
    null,
  );
  const volumeSummary = busiest
    ? `${formatCount(totals.sent)} sent; most on ${periodLabel(busiest.period, interval)} (${formatCount(busiest.sent)}).`
    : `${formatCount(totals.sent)} sent.`;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Section title="Engagement over time">
          <Text size="sm" c="dimmed" mb="xs">
            {ratesSummary}
          </Text>
          <Box role="img" aria-label={`Open, click and reply rates per ${interval}. ${ratesSummary}`}>
            <LineChart
              h={240}
              data={rates}
              dataKey="period"
              series={[
                { name: 'Opened', color: 'teal.6' },
                { name: 'Clicked', color: 'indigo.6' },
                { name: 'Replied', color: 'orange.6' },
              ]}
              // straight lines: a smoothed curve would show rates between periods that never happened
              curveType="linear"
              withDots
              connectNulls
              withLegend
              legendProps={{ verticalAlign: 'bottom', height: 32 }}
              valueFormatter={percentValue}
              yAxisProps={{ domain: [0, 'auto'] }}
              accessibilityLayer={false}
            />
          </Box>
        </Section>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Section title="Sent per period">
          <Text size="sm" c="dimmed" mb="xs">
            {volumeSummary}
          </Text>
          <Box role="img" aria-label={`Emails sent per ${interval}. ${volumeSummary}`}>
            <BarChart
              h={240}
              data={volume}
              dataKey="period"
              series={[{ name: 'Sent', color: 'blue.6' }]}
              valueFormatter={formatCount}
              yAxisProps={{ allowDecimals: false }}
              accessibilityLayer={false}
            />
          </Box>
        </Section>
      </Grid.Col>
    </Grid>
  );
}
