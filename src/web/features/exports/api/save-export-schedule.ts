import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  ExportSchedule,
  ExportScheduleCreate,
  ExportScheduleUpdate,
} from '../../../../shared/exports.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export const schedulePath = (id: string) => `/crm/export/schedules/${encodeURIComponent(id)}`;

export const refreshSchedules = (queryClient: QueryClient) => {
  void queryClient.invalidateQueries({ queryKey: queryKeys.exports.schedules });
  void queryClient.invalidateQueries({ queryKey: queryKeys.audit.all });
};

export function createExportSchedule(body: ExportScheduleCreate): Promise<ExportSchedule> {
  return apiRequest<ExportSchedule>('/crm/export/schedules', { method: 'POST', body });
}

/** PUT with the version it was read at; a 409 ApiError carries the stored schedule in `current`. */
export function updateExportSchedule({
  id,
  body,
}: {
  id: string;
  body: ExportScheduleUpdate;
}): Promise<ExportSchedule> {
  return apiRequest<ExportSchedule>(schedulePath(id), { method: 'PUT', body });
}

export function useCreateExportSchedule() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createExportSchedule, onSuccess: () => refreshSchedules(queryClient) });
}

export function useUpdateExportSchedule() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: updateExportSchedule, onSuccess: () => refreshSchedules(queryClient) });
}
