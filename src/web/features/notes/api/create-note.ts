import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Note, NoteCreate } from '../../../../shared/notes.js';
import { apiRequest } from '../../../lib/api-client.js';
import { invalidateNoteQueries } from './invalidate-notes.js';

export interface CreateNoteInput {
  customerId: string;
  body: NoteCreate;
}

export function createNote({ customerId, body }: CreateNoteInput): Promise<Note> {
  return apiRequest<Note>(`/crm/customers/${encodeURIComponent(customerId)}/notes`, { method: 'POST', body });
}

export function useCreateNote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createNote,
    onSuccess: (note) => invalidateNoteQueries(queryClient, note.customer_id),
  });
}
