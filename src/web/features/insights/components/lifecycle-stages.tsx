import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { LifecycleReport } from '../../../../shared/lifecycle.js';
import { formatCount, humanize } from '../../../lib/format.js';

/** Customers per lifecycle stage: a stacked bar chart (by the rules / set by hand) and the same numbers as a table. */
export function LifecycleStages({ stages }: { stages: LifecycleReport['stages'] }) {
  const data = stages.map((s) => ({
    stage: humanize(s.stage),
    'By the rules': s.customers - s.manual,
    'Set by hand': s.manual,
  }));
  const total = stages.reduce((n, s) => n + s.customers, 0);
  return (
    <>
      <BarChart
        h={220}
        data={data}
        dataKey="stage"
        type="stacked"
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 40 }}
        valueFormatter={(v) => formatCount(v)}
        series={[
          { name: 'By the rules', color: 'indigo.6' },
          { name: 'Set by hand', color: 'orange.5' },
        ]}
      />
      <Table aria-label="Customers by stage" verticalSpacing={4} mt="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Stage</Table.Th>
            <Table.Th scope="col" ta="right">
              Customers
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Set by hand
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stages.map((s) => (
            <Table.Tr key={s.stage} data-stage={s.stage}>
              <Table.Th scope="row" fw={500}>
                <Anchor component={Link} to={`/customers?lifecycle_stage=${s.stage}`} size="sm">
                  {humanize(s.stage)}
                </Anchor>
              </Table.Th>
              <Table.Td ta="right">{formatCount(s.customers)}</Table.Td>
              <Table.Td ta="right">
                <Text size="sm" c={s.manual ? undefined : 'dimmed'}>
                  {formatCount(s.manual)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row">All</Table.Th>
            <Table.Td ta="right" fw={700}>
              {formatCount(total)}
            </Table.Td>
            <Table.Td ta="right">{formatCount(stages.reduce((n, s) => n + s.manual, 0))}</Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </>
  );
}
