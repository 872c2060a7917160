import { TicketsQueue } from '../../features/tickets/components/tickets-queue.js';

export function TicketsPage() {
  return <TicketsQueue />;
}
