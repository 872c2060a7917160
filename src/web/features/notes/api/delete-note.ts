import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Note } from '../../../../shared/notes.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateNoteQueries } from './invalidate-notes.js';

/** Deletes a note (its author or an administrator); answers with what was deleted. */
export function deleteNote(id: string): Promise<Note> {
  return apiRequest<Note>(`/crm/notes/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteNote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteNote,
    onSuccess: (note) => invalidateNoteQueries(queryClient, note.customer_id),
  });
}
