import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiToken } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** The server may answer with a bare array or with {data: [...]}; both are accepted. */
export async function getTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  const result = await apiRequest<ApiToken[] | { data: ApiToken[] }>('/auth/tokens', { signal });
  return Array.isArray(result) ? result : result.data;
}

export const tokensQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.tokens.all, queryFn: ({ signal }) => getTokens(signal) });

export function useTokens() {
  return useQuery(tokensQueryOptions());
}
