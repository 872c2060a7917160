import { Table, useComputedColorScheme, VisuallyHidden } from '@mantine/core';
import type { Cohorts } from '../../../../shared/analytics.js';
import { formatCount, formatMoney } from '../../../lib/format.js';
import { formatMonth, formatShare } from '../analytics-format.js';
import { heatColor } from './heat-color.js';
import { ScrollTable } from './scroll-table.js';

/**
 * Retention as a real table: a row per acquisition month, a column per month since the first
 * order, each cell the share that ordered again then, as text and as shading.
 */
export function CohortHeatmap({ cohorts }: { cohorts: Cohorts['cohorts'] }) {
  const scheme = useComputedColorScheme('light');
  const width = Math.max(0, ...cohorts.map((c) => c.retention.length));
  // shade against the largest share shown: later months are small and would all look blank
  const top = Math.max(0.01, ...cohorts.flatMap((c) => c.retention));
  const offsets = Array.from({ length: width }, (_, i) => i + 1);

  return (
    <ScrollTable minWidth={420 + width * 64} label="Retention by acquisition cohort, scrollable">
      <Table
        withColumnBorders={false}
        verticalSpacing={6}
        horizontalSpacing={8}
        aria-label="Retention by acquisition cohort"
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        <Table.Caption>
          Share of each month's new customers ordering again 1, 2, 3… months after their first order.
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Cohort</Table.Th>
            <Table.Th scope="col" ta="right">
              Customers
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Revenue
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Repeat
            </Table.Th>
            {offsets.map((m) => (
              <Table.Th key={m} scope="col" ta="center" miw={56}>
                <span aria-hidden>M{m}</span>
                <VisuallyHidden>Month {m}</VisuallyHidden>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cohorts.map((c) => (
            <Table.Tr key={c.cohort} data-cohort={c.cohort}>
              <Table.Th scope="row" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {formatMonth(c.cohort)}
              </Table.Th>
              <Table.Td ta="right">{formatCount(c.customers)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(c.revenue)}
              </Table.Td>
              <Table.Td ta="right">{c.customers === 0 ? '–' : formatShare(c.repeat_rate, 0)}</Table.Td>
              {offsets.map((m) => {
                const share = c.retention[m - 1];
                if (share !== undefined && c.customers === 0) {
                  return (
                    <Table.Td key={m} ta="center" c="dimmed" data-month={m}>
                      <span aria-hidden>–</span>
                      <VisuallyHidden>no new customers</VisuallyHidden>
                    </Table.Td>
                  );
                }
                if (share === undefined) {
                  return (
                    <Table.Td key={m} ta="center" c="dimmed" data-month={m}>
                      <span aria-hidden>·</span>
                      <VisuallyHidden>not yet</VisuallyHidden>
                    </Table.Td>
                  );
                }
                const colors = heatColor(share / top, scheme);
                return (
                  <Table.Td
                    key={m}
                    ta="center"
                    data-month={m}
                    data-share={share}
                    style={{ ...colors, borderRadius: 4, whiteSpace: 'nowrap', fontSize: 13 }}
                  >
                    {formatShare(share, share < 0.1 ? 1 : 0)}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
