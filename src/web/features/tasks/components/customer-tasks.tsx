import { Text } from '@mantine/core';

/** Placeholder: replaced by the real panel (shown in a tab of the customer profile). */
export function CustomerTasks({ customerId }: { customerId: string }) {
  return <Text c="dimmed">CustomerTasks {customerId}</Text>;
}
