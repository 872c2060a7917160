import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '../../../../shared/notifications.js';
import type { MyWork } from '../../../../shared/work.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** POST /api/crm/notifications/:id/read: the notification, now read. */
export function markMentionRead(id: string): Promise<Notification> {
  return apiRequest<Notification>(`/crm/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}

/** Marks a mention read: it leaves "Mentions" at once, and the notification menu's count follows. */
export function useMarkMentionRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markMentionRead,
    onSuccess: (read) => {
      queryClient.setQueryData<MyWork>(queryKeys.work.mine, (data) =>
        data
          ? {
              ...data,
              mentions: {
                ...data.mentions,
                data: data.mentions.data.filter((n) => n.id !== read.id),
                unread_count: Math.max(0, data.mentions.unread_count - 1),
              },
            }
          : data,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
      void queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
    },
  });
}
