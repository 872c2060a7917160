import { queryOptions, useQuery } from '@tanstack/react-query';
import type { StaffUser } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getUsers(signal?: AbortSignal): Promise<{ data: StaffUser[] }> {
  return apiRequest<{ data: StaffUser[] }>('/users', { signal });
}

export const usersQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.users.all,
    queryFn: ({ signal }) => getUsers(signal),
    select: (result) => result.data,
    staleTime: 60_000,
  });

/** Staff users; pass enabled=false when the user may not list them (users:manage). */
export function useUsers(enabled = true) {
  return useQuery({ ...usersQueryOptions(), enabled });
}
