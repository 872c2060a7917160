import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DataSubjectExport } from '../../../../shared/privacy.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getCustomerData(customerId: string): Promise<DataSubjectExport> {
  return apiRequest<DataSubjectExport>(`/crm/customers/${encodeURIComponent(customerId)}/data-export`);
}

/** Hands the browser a file to save, without navigating away from the page. */
export function saveJsonFile(fileName: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/**
 * Everything held about one person, saved as `customer-<id>-data.json`. Fetched first (not a
 * plain link) so a refusal shows as a message instead of an error file; the server audits it.
 */
export function useDownloadCustomerData(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const data = await getCustomerData(customerId);
      saveJsonFile(`customer-${customerId}-data.json`, data);
      return data;
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.audit.all }),
  });
}
