import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../../lib/query-keys.js';

/** At most one refetch per this many ms: a campaign announces one event per recipient. */
const settleMs = 3_000;
/** Opened after the page's own requests, as the bell does, so it never holds up the first paint. */
const openAfterMs = 3_000;

/**
 * Keeps the Email page's numbers live: listens to every customer's timeline events and, when
 * email was sent, opened, clicked, answered or bounced, refetches the analytics and campaigns
 * (batched). Without EventSource (tests in happy-dom) it does nothing; the queries still poll.
 */
export function useLiveEmailStats() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      pending = null;
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.communications.all, 'analytics'] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.communications.campaigns });
    };
    const onEvent = (event: MessageEvent<string>) => {
      try {
        const { kinds } = JSON.parse(event.data) as { kinds?: string[] };
        if (!kinds?.some((kind) => kind.startsWith('email_'))) return;
      } catch {
        return;
      }
      pending ??= setTimeout(refresh, settleMs);
    };
    const opening = setTimeout(() => {
      source = new EventSource('/api/crm/events');
      source.addEventListener('customer_event', onEvent);
    }, openAfterMs);
    return () => {
      clearTimeout(opening);
      if (pending) clearTimeout(pending);
      source?.close();
    };
  }, [queryClient]);
}
