import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Job } from '../../../../shared/jobs.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiRequest<Job>(`/crm/jobs/${encodeURIComponent(id)}`, { signal });
}

export const jobPollInterval = 750;

export function isJobFinished(job: Pick<Job, 'status'> | undefined): boolean {
  return job?.status === 'succeeded' || job?.status === 'failed';
}

/** A background job, polled until it succeeds or fails. */
export const jobQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.jobs.detail(id),
    queryFn: ({ signal }) => getJob(id, signal),
    refetchInterval: (query) => (isJobFinished(query.state.data) ? false : jobPollInterval),
    refetchIntervalInBackground: true,
    staleTime: 0,
  });

export function useJob(id: string | undefined) {
  return useQuery({ ...jobQueryOptions(id ?? ''), enabled: !!id });
}
