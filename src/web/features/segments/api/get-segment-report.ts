import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { SegmentReport } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** The periods the segment page offers, in days. */
export const segmentReportPeriods = [30, 90, 365] as const;
export const defaultSegmentReportDays = 90;

export function getSegmentReport(id: string, days: number, signal?: AbortSignal): Promise<SegmentReport> {
  return apiRequest<SegmentReport>(`/crm/segments/${encodeURIComponent(id)}/report`, {
    query: { days },
    signal,
  });
}

export const segmentReportQueryOptions = (id: string, days: number) =>
  queryOptions({
    queryKey: queryKeys.segments.report(id, days),
    queryFn: ({ signal }) => getSegmentReport(id, days, signal),
    staleTime: 60_000,
  });

/** Size over time, revenue share, averages, lifecycle and top tags; keeps the last period on screen while another loads. */
export function useSegmentReport(id: string, days: number) {
  return useQuery({ ...segmentReportQueryOptions(id, days), placeholderData: keepPreviousData });
}
