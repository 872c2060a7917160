import type { QueryClient } from '@tanstack/react-query';
import type { TicketDetail } from '../../../../shared/tickets.js';
import { queryKeys } from '../../../lib/query-keys.js';

/**
 * After a ticket changes: the queue (lists and counts), and the customer's timeline, which shows
 * ticket events. My work lists assigned tickets too.
 */
export function invalidateTicketData(queryClient: QueryClient, customerId: string | null | undefined) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() });
  void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
  if (customerId) {
    void queryClient.invalidateQueries({ queryKey: [...queryKeys.customers.detail(customerId), 'timeline'] });
  }
}

/** Puts a ticket the server just returned (with its comments) in the cache. */
export function storeTicket(queryClient: QueryClient, ticket: TicketDetail) {
  queryClient.setQueryData(queryKeys.tickets.detail(ticket.id), ticket);
}
