import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CommunicationPreferencesResponse } from '../../../../shared/communications.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getPreferences(customerId: string, signal?: AbortSignal) {
  return apiRequest<CommunicationPreferencesResponse>(
    `/crm/customers/${encodeURIComponent(customerId)}/communication-preferences`,
    { signal },
  );
}

/** Every channel spelled out, the customer's version for the next change, and the history. */
export const preferencesQueryOptions = (customerId: string) =>
  queryOptions({
    queryKey: queryKeys.communications.preferences(customerId),
    queryFn: ({ signal }) => getPreferences(customerId, signal),
  });

export function usePreferences(customerId: string) {
  return useQuery(preferencesQueryOptions(customerId));
}
