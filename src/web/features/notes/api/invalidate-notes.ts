import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../lib/query-keys.js';

/** After a note changes: the customer's note lists (every filter), revisions, and the timeline. */
export function invalidateNoteQueries(queryClient: QueryClient, customerId: string) {
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.notes.all, 'list', customerId] });
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.notes.all, 'revisions'] });
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.customers.detail(customerId), 'timeline'] });
}
