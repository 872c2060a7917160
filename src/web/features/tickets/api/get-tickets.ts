import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { TicketList, TicketPriority, TicketStatus } from '../../../../shared/tickets.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export const ticketPageSize = 25;

/** GET /api/crm/tickets filters, as the API names them. */
export interface TicketListParams {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  assignee_id?: string;
  customer_id?: string;
  breached?: 'true' | 'false';
  sort?: 'sla_due_at' | 'created_at';
  order?: 'asc' | 'desc';
  limit?: number;
}

export function getTickets(
  params: TicketListParams,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<TicketList> {
  return apiRequest<TicketList>('/crm/tickets', {
    query: { limit: ticketPageSize, ...params, cursor },
    signal,
  });
}

/** Keyset pages of tickets; every page carries the per-status counts for the tabs. */
export const ticketsInfiniteQueryOptions = (params: TicketListParams) =>
  infiniteQueryOptions({
    queryKey: queryKeys.tickets.list({ ...params }),
    queryFn: ({ pageParam, signal }) => getTickets(params, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    staleTime: 15_000,
  });

export function useTickets(params: TicketListParams) {
  return useInfiniteQuery({ ...ticketsInfiniteQueryOptions(params), placeholderData: keepPreviousData });
}
