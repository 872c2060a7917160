import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '../../../../shared/notifications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function markNotificationRead(id: string): Promise<Notification> {
  return apiRequest<Notification>(`/crm/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}

export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationRead,
    onSuccess: () => {
      // the bell's lists and the "my work" mentions both count unread ones
      void queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.work.mine });
    },
  });
}
