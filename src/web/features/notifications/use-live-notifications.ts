import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../lib/query-keys.js';

const LIVE_START_DELAY_MS = 3_000;

/**
 * Refetches the bell (and "my work") the moment the server announces a notification for the
 * signed-in user, through GET /api/crm/events?topic=notifications. Polling covers the gaps:
 * without EventSource (happy-dom) or while the stream reconnects.
 */
export function useLiveNotifications(enabled: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    // opened once the first screen is up: a stream opened during page load held up the customer
    // list's first rows by over a second in Chromium (npm run bench); the first fetch and the
    // polling cover those seconds
    const start = setTimeout(() => {
      source = new EventSource('/api/crm/events?topic=notifications');
      source.addEventListener('notification', () => {
        void queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
        void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
      });
    }, LIVE_START_DELAY_MS);
    return () => {
      clearTimeout(start);
      source?.close();
    };
  }, [enabled, queryClient]);
}
