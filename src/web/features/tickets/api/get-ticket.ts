import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TicketDetail } from '../../../../shared/tickets.js';
import { apiRequest, isApiError } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getTicket(id: string, signal?: AbortSignal): Promise<TicketDetail> {
  return apiRequest<TicketDetail>(`/crm/tickets/${encodeURIComponent(id)}`, { signal });
}

export const ticketQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.tickets.detail(id),
    queryFn: ({ signal }) => getTicket(id, signal),
    // a missing ticket (or a malformed id) stays missing: no retries
    retry: (count, error) => !isApiError(error, 404) && !isApiError(error, 400) && count < 2,
  });

/** One ticket with its comments, oldest first. */
export function useTicket(id: string) {
  return useQuery(ticketQueryOptions(id));
}
