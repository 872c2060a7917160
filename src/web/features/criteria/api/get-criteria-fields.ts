import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CriteriaFieldsResponse } from '../../../../shared/criteria/index.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** One field of the criteria language as the server describes it (ops, values, bounds). */
export type CriteriaFieldInfo = CriteriaFieldsResponse['fields'][number];

export function getCriteriaFields(signal?: AbortSignal): Promise<CriteriaFieldsResponse> {
  return apiRequest<CriteriaFieldsResponse>('/crm/criteria/fields', { signal });
}

export const criteriaFieldsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.criteria.fields,
    queryFn: ({ signal }) => getCriteriaFields(signal),
    select: (result): CriteriaFieldInfo[] => result.fields,
    staleTime: 60_000,
  });

/** The catalogue that drives the criteria builder, with the current tags and segments as choices. */
export function useCriteriaFields() {
  return useQuery(criteriaFieldsQueryOptions());
}
