import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RfmOverview } from '../../../../shared/rfm.js';
import { formatCount, formatMoney, humanize } from '../../../lib/format.js';
import { rfmGroupHints, rfmGroupListUrl } from './rfm-groups.js';

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** Each named group's size, revenue and average order value; a group opens its customers. */
export function RfmGroupsTable({ groups }: { groups: RfmOverview['groups'] }) {
  const customers = groups.reduce((n, g) => n + g.customers, 0);
  const revenue = groups.reduce((n, g) => n + g.revenue, 0);
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table aria-label="RFM groups" highlightOnHover verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Group</Table.Th>
            <Table.Th scope="col" ta="right">
              Customers
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Revenue
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Avg. order
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((g) => (
            <Table.Tr key={g.group} data-group={g.group}>
              <Table.Th scope="row" fw={400}>
                {g.customers > 0 ? (
                  <Anchor component={Link} to={rfmGroupListUrl(g.group)} fw={600} size="sm">
                    {humanize(g.group)}
                  </Anchor>
                ) : (
                  <Text size="sm" fw={600} c="dimmed">
                    {humanize(g.group)}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {rfmGroupHints[g.group]}
                </Text>
              </Table.Th>
              <Table.Td ta="right">
                <Text size="sm">{formatCount(g.customers)}</Text>
                <Text size="xs" c="dimmed">
                  {customers ? percent.format(g.customers / customers) : '—'}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{formatMoney(g.revenue)}</Text>
                <Text size="xs" c="dimmed">
                  {revenue ? percent.format(g.revenue / revenue) : '—'}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{g.customers > 0 ? formatMoney(g.average_order_value) : '—'}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
