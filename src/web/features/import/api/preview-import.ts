import { useMutation } from '@tanstack/react-query';
import type { ImportField } from '../../../../shared/customers.js';
import { apiRequest } from '../../../lib/api-client.js';

export interface ImportPreview {
  headers: string[];
  sample: string[][];
  suggested_mapping: Record<string, ImportField | null>;
  total_rows: number;
}

export function previewImport(file: File): Promise<ImportPreview> {
  const body = new FormData();
  body.append('file', file);
  return apiRequest<ImportPreview>('/crm/customers/import/preview', { method: 'POST', body });
}

export function usePreviewImport() {
  return useMutation({ mutationFn: previewImport });
}
