import { useMutation } from '@tanstack/react-query';
import type { JobAccepted } from '../../../../shared/jobs.js';
import { apiRequest } from '../../../lib/api-client.js';

/** Starts counting the product pairs again; answers 202 with the job to follow. */
export function recomputeAffinity(): Promise<JobAccepted> {
  return apiRequest<JobAccepted>('/crm/analytics/products/affinity/recompute', { method: 'POST' });
}

export function useRecomputeAffinity() {
  return useMutation({ mutationFn: recomputeAffinity });
}
