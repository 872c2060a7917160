import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../lib/query-keys.js';

/**
 * Refetches the bell (and "my work") the moment the server announces a notification for the
 * signed-in user, through GET /api/crm/events?topic=notifications. Polling covers the gaps:
 * without EventSource (happy-dom) or while the stream reconnects.
 */
export function useLiveNotifications(enabled: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/crm/events?topic=notifications');
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
    };
    source.addEventListener('notification', refresh);
    return () => source.close();
  }, [enabled, queryClient]);
}
