import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CommunicationPreferencesResponse,
  communicationPreferencesUpdateSchema,
} from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export type PreferencesUpdate = z.input<typeof communicationPreferencesUpdateSchema>;

/** A stale `version` is a 409 ApiError: someone changed the customer after it was loaded here. */
export function updatePreferences({
  customerId,
  body,
}: {
  customerId: string;
  body: PreferencesUpdate;
}): Promise<CommunicationPreferencesResponse> {
  return apiRequest<CommunicationPreferencesResponse>(
    `/crm/customers/${encodeURIComponent(customerId)}/communication-preferences`,
    { method: 'PUT', body },
  );
}

export function useUpdatePreferences(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PreferencesUpdate) => updatePreferences({ customerId, body }),
    onSuccess: (result) => {
      queryClient.setQueryData(queryKeys.communications.preferences(customerId), result);
      const detail = queryKeys.customers.detail(customerId);
      // the change is on the timeline, and it moved the customer's version: the profile's own
      // forms must save against the new one
      void queryClient.invalidateQueries({ queryKey: [...detail, 'timeline'] });
      void queryClient.invalidateQueries({ queryKey: detail, exact: true });
    },
  });
}
