import { useEffect, useRef } from 'react';
import type { Notification } from '../../../shared/notifications.js';
import { notifyInfo } from '../../lib/notify.js';

const MAX_TOASTS = 3;

/**
 * Toasts notifications that arrive while the app is open: unread ones newer than the newest seen
 * so far. The first load only sets that mark, so opening the app does not replay old news.
 */
export function useNotificationToasts(latest: readonly Notification[] | undefined) {
  // undefined: nothing loaded yet; '' : loaded, but there was nothing
  const newestSeen = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!latest) return;
    const newest = latest[0]?.created_at ?? '';
    const seen = newestSeen.current;
    if (seen === undefined || newest > seen) newestSeen.current = newest;
    if (seen === undefined) return;
    const fresh = latest.filter((n) => n.read_at === null && n.created_at > seen);
    for (const n of fresh.slice(0, MAX_TOASTS)) notifyInfo(n.body ?? 'Open the bell to see it.', n.title);
    if (fresh.length > MAX_TOASTS) {
      notifyInfo(`and ${fresh.length - MAX_TOASTS} more`, 'New notifications');
    }
  }, [latest]);
}
