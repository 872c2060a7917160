import { Alert, Button, Card, Group, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { ImportReport } from '../../../../shared/customers.js';
import { formatCount } from '../../../lib/format.js';

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700} c={color}>
        {formatCount(value)}
      </Text>
    </Paper>
  );
}

export function ImportReportView({ report, onRestart }: { report: ImportReport; onRestart: () => void }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="import-report-title">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="import-report-title">
          Import finished
        </Title>
        <Button variant="light" onClick={onRestart}>
          Import another file
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" mb="lg">
        <Stat label="Rows" value={report.total_rows} />
        <Stat label="Created" value={report.created} color="green" />
        <Stat label="Updated" value={report.updated} color="blue" />
        <Stat label="Skipped" value={report.skipped} />
        <Stat
          label="Rejected"
          value={report.rejected.length}
          color={report.rejected.length ? 'red' : undefined}
        />
      </SimpleGrid>
      {report.rejected.length === 0 ? (
        <Alert color="green" icon={<IconCircleCheck size={18} />}>
          Every row was imported or deliberately skipped.
        </Alert>
      ) : (
        <>
          <Title order={3} size="h5" mb="xs">
            Rejected rows
          </Title>
          <Table.ScrollContainer minWidth={480} maxHeight={480}>
            <Table striped stickyHeader aria-label="Rejected rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={90}>Row</Table.Th>
                  <Table.Th w={200}>Field</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rejected.map((r) => (
                  <Table.Tr key={`${r.row}-${r.field ?? ''}-${r.reason}`}>
                    <Table.Td>{r.row}</Table.Td>
                    <Table.Td ff="monospace">{r.field ?? '—'}</Table.Td>
                    <Table.Td>{r.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Card>
  );
}
