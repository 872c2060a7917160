import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../lib/query-keys.js';

/**
 * After a task changes: every task list, my work, and the timeline of each customer it was (or is)
 * about, since creating and completing tasks write timeline events.
 */
export function invalidateTaskQueries(
  queryClient: QueryClient,
  customerIds: readonly (string | null | undefined)[],
) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.tasks.all });
  void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
  for (const id of new Set(customerIds)) {
    if (id) void queryClient.invalidateQueries({ queryKey: [...queryKeys.customers.detail(id), 'timeline'] });
  }
}
