import { queryOptions, useQuery } from '@tanstack/react-query';
import type { StaffDirectoryEntry } from '../../../../shared/auth.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getStaffDirectory(signal?: AbortSignal): Promise<{ data: StaffDirectoryEntry[] }> {
  return apiRequest<{ data: StaffDirectoryEntry[] }>('/users/directory', { signal });
}

export const staffDirectoryQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.users.directory,
    queryFn: ({ signal }) => getStaffDirectory(signal),
    select: (result) => result.data,
    staleTime: 60_000,
  });

/** Active staff to pick as a customer's owner; open to everyone who can read customers. */
export function useStaffDirectory(enabled = true) {
  return useQuery({ ...staffDirectoryQueryOptions(), enabled });
}
