import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { NoteList, NoteType } from '../../../../shared/notes.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export const notePageSize = 20;

export function getCustomerNotes(
  customerId: string,
  noteType: NoteType | null,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<NoteList> {
  return apiRequest<NoteList>(`/crm/customers/${encodeURIComponent(customerId)}/notes`, {
    query: { note_type: noteType, limit: notePageSize, cursor },
    signal,
  });
}

/** Pinned first, then newest first; next_cursor loads more. */
export const customerNotesQueryOptions = (customerId: string, noteType: NoteType | null) =>
  infiniteQueryOptions({
    queryKey: queryKeys.notes.list(customerId, noteType),
    queryFn: ({ pageParam, signal }) => getCustomerNotes(customerId, noteType, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    staleTime: 15_000,
  });

export function useCustomerNotes(customerId: string, noteType: NoteType | null) {
  return useInfiniteQuery(customerNotesQueryOptions(customerId, noteType));
}
