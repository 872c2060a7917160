import { Code, Table, Text } from '@mantine/core';
import { humanize } from '../../../lib/format.js';

function isPlain(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (isPlain(value)) {
    return (
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)}
      </Text>
    );
  }
  if (Array.isArray(value) && value.every(isPlain)) {
    return (
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {value.length === 0 ? 'none' : value.join(', ')}
      </Text>
    );
  }
  return (
    <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}

/** An entry's details, one row per key: plain values as text, nested ones as indented JSON. */
export function AuditDetails({ details, label }: { details: Record<string, unknown>; label: string }) {
  const entries = Object.entries(details);
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No details recorded.
      </Text>
    );
  }
  return (
    <Table withRowBorders={false} verticalSpacing={4} aria-label={label} layout="fixed">
      <Table.Tbody>
        {entries.map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Th scope="row" w={200} fw={500} c="dimmed" style={{ verticalAlign: 'top' }}>
              <Text size="sm">{humanize(key)}</Text>
            </Table.Th>
            <Table.Td>
              <Value value={value} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
