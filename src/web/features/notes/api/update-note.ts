import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Note, NoteUpdate } from '../../../../shared/notes.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateNoteQueries } from './invalidate-notes.js';

export interface UpdateNoteInput {
  id: string;
  body: NoteUpdate;
}

/**
 * PUT with the version last read (pinning alone too). A 409 ApiError with code `version_conflict`
 * carries the current note in `current`; 403 when neither the author nor an administrator.
 */
export function updateNote({ id, body }: UpdateNoteInput): Promise<Note> {
  return apiRequest<Note>(`/crm/notes/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function useUpdateNote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateNote,
    onSuccess: (note) => invalidateNoteQueries(queryClient, note.customer_id),
  });
}
