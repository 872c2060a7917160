import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../lib/query-keys.js';

const THROTTLE_MS = 2_000;

/**
 * Keeps the feed current: any customer's new timeline events (`customer_event`) or a bulk change
 * (`refresh`) refetch it, at most once every 2 s however busy the team is.
 */
export function useLiveActivity(enabled: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/crm/events');
    let last = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      last = Date.now();
      pending = undefined;
      void queryClient.invalidateQueries({ queryKey: queryKeys.activity.all });
    };
    const onEvent = () => {
      if (pending) return;
      const wait = last + THROTTLE_MS - Date.now();
      if (wait <= 0) refresh();
      else pending = setTimeout(refresh, wait);
    };
    source.addEventListener('customer_event', onEvent);
    source.addEventListener('refresh', onEvent);
    return () => {
      if (pending) clearTimeout(pending);
      source.close();
    };
  }, [enabled, queryClient]);
}
