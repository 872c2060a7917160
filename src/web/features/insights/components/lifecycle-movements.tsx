import { Group, Progress, Table, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import type { LifecycleReport } from '../../../../shared/lifecycle.js';
import { StageBadge } from '../../../components/status-badge.js';
import { formatCount } from '../../../lib/format.js';

/** How customers moved between stages in the period: from → to, largest flows first. */
export function LifecycleMovements({
  movements,
  days,
}: {
  movements: LifecycleReport['movements'];
  days: number;
}) {
  if (movements.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="md" ta="center">
        No customer changed stage in the last {days} days.
      </Text>
    );
  }
  const sorted = [...movements].sort((a, b) => b.customers - a.customers);
  const max = Math.max(...sorted.map((m) => m.customers));
  return (
    <Table aria-label={`Stage movements in the last ${days} days`} verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">From → to</Table.Th>
          <Table.Th scope="col" ta="right" w={110}>
            Customers
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((m) => (
          <Table.Tr key={`${m.from}-${m.to}`} data-from={m.from} data-to={m.to}>
            <Table.Th scope="row" fw={400}>
              <Group gap={6} wrap="nowrap">
                <StageBadge stage={m.from} />
                <IconArrowRight size={14} aria-label="to" />
                <StageBadge stage={m.to} />
              </Group>
              <Progress value={(m.customers / max) * 100} size="xs" mt={6} aria-hidden />
            </Table.Th>
            <Table.Td ta="right">{formatCount(m.customers)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
