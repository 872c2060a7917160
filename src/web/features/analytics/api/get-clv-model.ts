import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ClvModel } from '../../../../shared/analytics.js';
import { apiRequest, isApiError } from '../../../lib/api-client.js';
import { analyticsKeys } from './analytics-keys.js';

/** The current customer-value model, or null before the first fit (the server answers 404). */
export async function getClvModel(signal?: AbortSignal): Promise<ClvModel | null> {
  try {
    return await apiRequest<ClvModel>('/crm/analytics/clv/model', { signal });
  } catch (error) {
    if (isApiError(error, 404)) return null;
    throw error;
  }
}

export const clvModelQueryOptions = () =>
  queryOptions({
    queryKey: analyticsKeys.clvModel(),
    queryFn: ({ signal }) => getClvModel(signal),
    staleTime: 5 * 60_000,
  });

/** BG/NBD and Gamma-Gamma parameters, their fit and the holdout comparison; null when none yet. */
export function useClvModel() {
  return useQuery(clvModelQueryOptions());
}
