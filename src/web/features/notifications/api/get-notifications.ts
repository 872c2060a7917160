import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { NotificationList } from '../../../../shared/notifications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** How often the bell asks for news when no server-sent event arrives (ms). */
export const NOTIFICATIONS_POLL_MS = 30_000;
const PAGE_SIZE = 20;

export function getNotifications(
  params: { unread: boolean; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<NotificationList> {
  return apiRequest<NotificationList>('/crm/notifications', {
    query: { unread: params.unread ? 'true' : undefined, limit: PAGE_SIZE, cursor: params.cursor },
    signal,
  });
}

export const notificationsQueryOptions = (unread: boolean) =>
  infiniteQueryOptions({
    queryKey: queryKeys.notifications.list({ unread }),
    queryFn: ({ pageParam, signal }) => getNotifications({ unread, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: NOTIFICATIONS_POLL_MS,
    refetchOnWindowFocus: true,
  });

/** The signed-in user's notifications, newest first, page by page (each page has the unread count). */
export function useNotifications(unread: boolean, enabled = true) {
  return useInfiniteQuery({ ...notificationsQueryOptions(unread), enabled });
}
