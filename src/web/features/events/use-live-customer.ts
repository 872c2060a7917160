import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../lib/query-keys.js';

/**
 * Keeps an open customer current: listens to GET /api/crm/events for this customer and, when
 * the server announces new timeline events (a note, an order, a ticket, from anyone, through any
 * server process), refetches its timeline and orders.
 * The browser's EventSource reconnects by itself; without one (tests in happy-dom) it does nothing.
 */
export function useLiveCustomer(customerId: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/crm/events?customer_id=${encodeURIComponent(customerId)}`);
    // the timeline, orders and service lists only: refetching the profile itself could reset a
    // form being edited
    const refresh = () => {
      const detail = queryKeys.customers.detail(customerId);
      void queryClient.invalidateQueries({ queryKey: [...detail, 'timeline'] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.orders(customerId) });
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.notes.all, 'list', customerId] });
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.interactions.all, 'list', customerId] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks.lists() });
      // an email sent, opened, clicked or answered; preferences changed by an unsubscribe link
      void queryClient.invalidateQueries({ queryKey: queryKeys.communications.threads(customerId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.communications.preferences(customerId) });
    };
    source.addEventListener('customer_event', refresh);
    source.addEventListener('refresh', refresh);
    return () => source.close();
  }, [customerId, queryClient]);
}
