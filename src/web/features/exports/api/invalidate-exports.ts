import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../lib/query-keys.js';

/** After an export changes state: every export list and status, and the audit log that records it. */
export function invalidateExportQueries(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.exports.lists() });
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.exports.all, 'detail'] });
  void queryClient.invalidateQueries({ queryKey: queryKeys.audit.all });
}

export const exportPath = (id: string, action?: string) =>
  `/crm/export/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
