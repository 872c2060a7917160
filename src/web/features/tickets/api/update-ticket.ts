import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TicketDetail, TicketUpdate } from '../../../../shared/tickets.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateTicketData, storeTicket } from './ticket-cache.js';

/** A stale `version` is a 409 ApiError whose `current` is the ticket as stored (without comments). */
export function updateTicket({ id, body }: { id: string; body: TicketUpdate }): Promise<TicketDetail> {
  return apiRequest<TicketDetail>(`/crm/tickets/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function useUpdateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTicket,
    onSuccess: (ticket) => {
      storeTicket(queryClient, ticket);
      invalidateTicketData(queryClient, ticket.customer?.id);
    },
  });
}
