import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** How mail leaves this installation: SMTP, or the local outbox folder (never delivered). */
export interface MailStatus {
  transport: 'smtp' | 'outbox';
  from: string;
  tracking_base_url: string | null;
}

export function getMailStatus(signal?: AbortSignal): Promise<MailStatus> {
  return apiRequest<MailStatus>('/crm/communications/status', { signal });
}

export const mailStatusQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.communications.status,
    queryFn: ({ signal }) => getMailStatus(signal),
    staleTime: 5 * 60_000,
  });

export function useMailStatus() {
  return useQuery(mailStatusQueryOptions());
}
