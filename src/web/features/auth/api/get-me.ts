import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Me } from '../../../../shared/auth.js';
import type { Permission } from '../../../../shared/permissions.js';
import { apiRequest, isApiError } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** The signed-in user, or null when there is no session. */
export async function getMe(): Promise<Me | null> {
  try {
    return await apiRequest<Me>('/auth/me');
  } catch (error) {
    if (isApiError(error, 401)) return null;
    throw error;
  }
}

export const meQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me, queryFn: getMe, staleTime: 5 * 60_000, retry: false });

export function useMe() {
  return useQuery(meQueryOptions());
}

/** Whether the signed-in user has a permission (false while loading). */
export function usePermission(permission: Permission): boolean {
  const { data } = useMe();
  return data?.permissions.includes(permission) ?? false;
}
