import { Text } from '@mantine/core';

/** Placeholder: replaced by the real panel (shown in a tab of the customer profile). */
export function CustomerNotes({ customerId }: { customerId: string }) {
  return <Text c="dimmed">CustomerNotes {customerId}</Text>;
}
