import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportField, ImportReport, importModes } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export type ImportMode = (typeof importModes)[number];

export interface RunImportInput {
  file: File;
  /** CSV header -> import field, or '' to leave the column out. */
  mapping: Record<string, ImportField | ''>;
  mode: ImportMode;
}

export function runImport({ file, mapping, mode }: RunImportInput): Promise<ImportReport> {
  const body = new FormData();
  // Text fields first: a streaming multipart parser sees them before the file.
  body.append('mapping', JSON.stringify(mapping));
  body.append('mode', mode);
  body.append('file', file);
  return apiRequest<ImportReport>('/crm/customers/import', { method: 'POST', body });
}

export function useRunImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: runImport,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.customers.all }),
  });
}
