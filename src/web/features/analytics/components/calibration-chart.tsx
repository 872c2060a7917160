import '@mantine/charts/styles.css';

import { BarChart } from '@mantine/charts';
import { Box, Table, Text } from '@mantine/core';
import type { ClvModel } from '../../../../shared/analytics.js';
import { formatCount } from '../../../lib/format.js';
import { formatDecimal } from '../analytics-format.js';
import { ScrollTable } from './scroll-table.js';

type Holdout = NonNullable<ClvModel['holdout']>;

const groupLabel = (g: Holdout['groups'][number]) => `${g.repeat_purchases}${g.or_more ? '+' : ''}`;

/**
 * The standard calibration chart: average purchases per customer in the holdout window, predicted
 * by the model and actual, by the number of repeat purchases in the calibration window. The same
 * figures follow as a table.
 */
export function CalibrationChart({ holdout }: { holdout: Holdout }) {
  const data = holdout.groups.map((g) => ({
    repeats: groupLabel(g),
    Predicted: g.predicted,
    Actual: g.actual,
  }));
  const summary = `Over ${formatDecimal(holdout.weeks)} holdout weeks the model predicted ${formatDecimal(holdout.predicted_transactions)} purchases; customers made ${formatCount(Math.round(holdout.actual_transactions))}.`;
  return (
    <>
      <Text size="sm" c="dimmed" mb="sm" data-testid="holdout-summary">
        {summary}
      </Text>
      <Box
        role="img"
        aria-label={`Predicted against actual holdout purchases per customer, by repeat purchases before. ${summary}`}
      >
        <BarChart
          h={240}
          data={data}
          dataKey="repeats"
          series={[
            { name: 'Predicted', color: 'indigo.5' },
            { name: 'Actual', color: 'orange.6' },
          ]}
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 32 }}
          valueFormatter={(v) => formatDecimal(v)}
          xAxisLabel="Repeat purchases in the calibration window"
          yAxisLabel="Purchases per customer"
          accessibilityLayer={false}
        />
      </Box>
      <Box mt="sm">
        <ScrollTable minWidth={300} label="Holdout purchases, scrollable">
          <Table
            aria-label="Holdout purchases by repeat purchases"
            verticalSpacing={4}
            fz="sm"
            style={{ fontVariantNumeric: 'tabular-nums' }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Repeat purchases</Table.Th>
                <Table.Th scope="col" ta="right">
                  Customers
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Predicted
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Actual
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {holdout.groups.map((g) => (
                <Table.Tr key={g.repeat_purchases} data-repeats={g.repeat_purchases}>
                  <Table.Th scope="row" fw={500}>
                    {g.or_more ? `${g.repeat_purchases} or more` : g.repeat_purchases}
                  </Table.Th>
                  <Table.Td ta="right">{formatCount(g.customers)}</Table.Td>
                  <Table.Td ta="right">{formatDecimal(g.predicted)}</Table.Td>
                  <Table.Td ta="right">{formatDecimal(g.actual)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      </Box>
    </>
  );
}
