import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../../lib/query-keys.js';

/**
 * Refetches `key` whenever the customer's order list is fetched again after it first loaded: the
 * profile refetches orders when the server announces a new one (useLiveCustomer), and insights
 * and recommendations follow from orders.
 */
export function useRefreshOnOrders(customerId: string, key: QueryKey) {
  const queryClient = useQueryClient();
  const serialized = JSON.stringify(key);
  useEffect(() => {
    const orders = queryKeys.customers.orders(customerId);
    const ordersKey = JSON.stringify(orders);
    // the list may have loaded before this card mounted: that load is the one to compare with
    let seen: number | null = queryClient.getQueryState(orders)?.dataUpdatedAt || null;
    return queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'success') return;
      if (JSON.stringify(event.query.queryKey) !== ordersKey) return;
      const at = event.query.state.dataUpdatedAt;
      if (seen !== null && at !== seen) {
        void queryClient.invalidateQueries({ queryKey: JSON.parse(serialized) as QueryKey });
      }
      seen = at;
    });
  }, [customerId, queryClient, serialized]);
}
