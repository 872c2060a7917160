import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Churn } from '../../../../shared/analytics.js';
import { formatCount, formatDate, formatMoney } from '../../../lib/format.js';
import { formatShare } from '../analytics-format.js';
import { ScrollTable } from './scroll-table.js';

/** The customers most valuable to win back: high past value, low chance they are still active. */
export function WinBackTable({ customers }: { customers: Churn['win_back'] }) {
  return (
    <ScrollTable minWidth={640} label="Customers to win back, scrollable">
      <Table
        aria-label="Customers to win back"
        verticalSpacing="xs"
        highlightOnHover
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Customer</Table.Th>
            <Table.Th scope="col" ta="right">
              Lifetime value
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Orders
            </Table.Th>
            <Table.Th scope="col">Last order</Table.Th>
            <Table.Th scope="col" ta="right">
              Still active
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Value at risk
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.map((c) => (
            <Table.Tr key={c.customer_id} data-customer={c.customer_id}>
              <Table.Td>
                <Anchor component={Link} to={`/customers/${c.customer_id}`} fw={600} size="sm">
                  {c.name}
                </Anchor>
                {c.email ? (
                  <Text size="xs" c="dimmed" truncate maw={220}>
                    {c.email}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right">{formatMoney(c.lifetime_value)}</Table.Td>
              <Table.Td ta="right">{formatCount(c.total_orders)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(c.last_order_date)}</Table.Td>
              <Table.Td ta="right">{formatShare(c.p_alive, 0)}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {formatMoney(c.value_at_risk)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
