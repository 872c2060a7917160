import { Title } from '@mantine/core';

/** Placeholder: replaced by the real screen. */
export function TicketsQueue() {
  return <Title order={1}>TicketsQueue</Title>;
}
