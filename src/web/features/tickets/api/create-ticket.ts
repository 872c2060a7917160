import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TicketCreate, TicketDetail } from '../../../../shared/tickets.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateTicketData, storeTicket } from './ticket-cache.js';

export function createTicket(body: TicketCreate): Promise<TicketDetail> {
  return apiRequest<TicketDetail>('/crm/tickets', { method: 'POST', body });
}

export function useCreateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTicket,
    onSuccess: (ticket) => {
      storeTicket(queryClient, ticket);
      invalidateTicketData(queryClient, ticket.customer?.id);
    },
  });
}
