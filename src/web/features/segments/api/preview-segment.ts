import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CriteriaGroup } from '../../../../shared/criteria/index.js';
import type { SegmentPreview } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

/** How many customers match, and a few of them; a 400 ApiError names the rule that is wrong. */
export function previewSegment(criteria: CriteriaGroup, signal?: AbortSignal): Promise<SegmentPreview> {
  return apiRequest<SegmentPreview>('/crm/segments/preview', { method: 'POST', body: { criteria }, signal });
}

export const segmentPreviewQueryOptions = (criteria: CriteriaGroup) =>
  queryOptions({
    queryKey: queryKeys.segments.preview(criteria),
    queryFn: ({ signal }) => previewSegment(criteria, signal),
    staleTime: 15_000,
    // the last count stays on screen while the next one loads
    placeholderData: keepPreviousData,
  });

export function useSegmentPreview(criteria: CriteriaGroup, enabled = true) {
  return useQuery({ ...segmentPreviewQueryOptions(criteria), enabled });
}
