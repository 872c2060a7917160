import { Text } from '@mantine/core';

/** Placeholder: replaced by the real panel (shown in a tab of the customer profile). */
export function CustomerTickets({ customerId }: { customerId: string }) {
  return <Text c="dimmed">CustomerTickets {customerId}</Text>;
}
