import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NotificationsReadAll } from '../../../../shared/notifications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function markAllNotificationsRead(): Promise<NotificationsReadAll> {
  return apiRequest<NotificationsReadAll>('/crm/notifications/read-all', { method: 'POST' });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllNotificationsRead,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
    },
  });
}
