import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TicketComment, TicketCommentCreate } from '../../../../shared/tickets.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { invalidateTicketData } from './ticket-cache.js';

export function addTicketComment({
  ticketId,
  body,
}: {
  ticketId: string;
  body: TicketCommentCreate;
}): Promise<TicketComment> {
  return apiRequest<TicketComment>(`/crm/tickets/${encodeURIComponent(ticketId)}/comments`, {
    method: 'POST',
    body,
  });
}

/** A reply or internal comment; the first public reply stamps the first response (and a new version). */
export function useAddTicketComment(customerId: string | null | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addTicketComment,
    onSuccess: (_comment, { ticketId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.detail(ticketId) });
      invalidateTicketData(queryClient, customerId);
    },
  });
}
