import { queryOptions, useQuery } from '@tanstack/react-query';
import type { NoteRevision, NoteRevisionList } from '../../../../shared/notes.js';
import { apiRequest } from '../../../lib/api-client.js';
import { queryKeys } from '../../../lib/query-keys.js';

export function getNoteRevisions(noteId: string, signal?: AbortSignal): Promise<NoteRevisionList> {
  return apiRequest<NoteRevisionList>(`/crm/notes/${encodeURIComponent(noteId)}/revisions`, { signal });
}

export const noteRevisionsQueryOptions = (noteId: string) =>
  queryOptions({
    queryKey: queryKeys.notes.revisions(noteId),
    queryFn: ({ signal }) => getNoteRevisions(noteId, signal),
    select: (result): NoteRevision[] => result.data,
  });

/** A note's earlier versions, newest first (loaded when `enabled`, i.e. when the history is open). */
export function useNoteRevisions(noteId: string, enabled = true) {
  return useQuery({ ...noteRevisionsQueryOptions(noteId), enabled });
}
