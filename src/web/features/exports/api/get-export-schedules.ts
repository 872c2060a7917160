import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ExportSchedule } from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

interface ExportScheduleList {
  data: ExportSchedule[];
}

export function getExportSchedules(signal?: AbortSignal): Promise<ExportScheduleList> {
  return apiRequest<ExportScheduleList>('/crm/export/schedules', { signal });
}

export const exportSchedulesQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.exports.schedules,
    queryFn: ({ signal }) => getExportSchedules(signal),
    select: (result): ExportSchedule[] => result.data,
    staleTime: 15_000,
  });

export function useExportSchedules() {
  return useQuery(exportSchedulesQueryOptions());
}
