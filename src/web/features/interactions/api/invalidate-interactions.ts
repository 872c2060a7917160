import type { QueryClient } from '@tanstack/react-query';
import type { Interaction } from '../../../../shared/interactions.js';
import { queryKeys } from '../../../lib/query-keys.js';

/**
 * After an interaction changes: the customer's interaction lists, the timeline, and (when a
 * follow-up date was or is involved, since it creates a task) tasks and my work.
 */
export function invalidateInteractionQueries(
  queryClient: QueryClient,
  interaction: Interaction,
  followUpChanged = interaction.follow_up_date !== null,
) {
  const customerId = interaction.customer_id;
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.interactions.all, 'list', customerId] });
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.customers.detail(customerId), 'timeline'] });
  if (followUpChanged) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.tasks.all });
    void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
  }
}
