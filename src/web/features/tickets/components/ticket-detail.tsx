import { Title } from '@mantine/core';

/** Placeholder: replaced by the real screen. */
export function TicketDetail({ id }: { id: string }) {
  return <Title order={1}>Ticket {id}</Title>;
}
