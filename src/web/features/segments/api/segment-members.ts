import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SegmentMembersBody, SegmentMembershipChange } from '../../../../shared/segments.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export interface SegmentMembersInput {
  segmentId: string;
  body: SegmentMembersBody;
}

/** Adds customers to a manual segment (idempotent; an automatic one answers 409). */
export function addSegmentMembers({
  segmentId,
  body,
}: SegmentMembersInput): Promise<SegmentMembershipChange> {
  return apiRequest<SegmentMembershipChange>(`/crm/segments/${encodeURIComponent(segmentId)}/members`, {
    method: 'POST',
    body,
  });
}

/** Removes customers from a manual segment. */
export function removeSegmentMembers({
  segmentId,
  body,
}: SegmentMembersInput): Promise<SegmentMembershipChange> {
  return apiRequest<SegmentMembershipChange>(`/crm/segments/${encodeURIComponent(segmentId)}/members`, {
    method: 'DELETE',
    body,
  });
}

function useMembershipMutation(mutationFn: (input: SegmentMembersInput) => Promise<SegmentMembershipChange>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (_change, { segmentId, body }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.detail(segmentId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.list() });
      for (const id of body.customer_ids) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.customers.detail(id) });
      }
    },
  });
}

export function useAddSegmentMembers() {
  return useMembershipMutation(addSegmentMembers);
}

export function useRemoveSegmentMembers() {
  return useMembershipMutation(removeSegmentMembers);
}
