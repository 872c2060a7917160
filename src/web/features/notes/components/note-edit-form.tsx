import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Note } from '../../../../shared/notes.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { invalidateNoteQueries } from '../api/invalidate-notes.js';
import { useUpdateNote } from '../api/update-note.js';
import { type NoteDraft, NoteEditor } from './note-editor.js';

/**
 * Edits a note in place with the version it was read at. On a 409 the conflict dialog offers
 * their version (reload) or ours (resent with the current version).
 */
export function NoteEditForm({ note, onDone }: { note: Note; onDone: () => void }) {
  const queryClient = useQueryClient();
  const update = useUpdateNote();
  const [conflict, setConflict] = useState<{ current: Note; draft: NoteDraft } | null>(null);
  // the version the edit started from: a refetch meanwhile must not make a stale edit look current
  const [baseVersion] = useState(note.version);

  const save = (draft: NoteDraft, version: number) =>
    update.mutate(
      { id: note.id, body: { ...draft, version } },
      {
        onSuccess: () => {
          setConflict(null);
          notifySuccess('Note saved');
          onDone();
        },
        onError: (error) => {
          if (isApiError(error, 409) && error.current) setConflict({ current: error.current as Note, draft });
          else notifyError(error, 'Could not save the note');
        },
      },
    );

  const fieldErrors = update.error && isApiError(update.error, 400) ? update.error.fieldErrors : {};

  return (
    <>
      <NoteEditor
        label="Edit note"
        submitLabel="Save"
        initial={{ content: note.content, note_type: note.note_type, pinned: note.pinned }}
        pending={update.isPending}
        errors={fieldErrors}
        onSubmit={(draft) => save(draft, baseVersion)}
        onCancel={onDone}
      />
      <VersionConflictModal
        what="note"
        updatedAt={conflict?.current.updated_at ?? null}
        saving={update.isPending}
        onClose={() => setConflict(null)}
        onReload={() => {
          setConflict(null);
          invalidateNoteQueries(queryClient, note.customer_id);
          onDone();
        }}
        onOverwrite={() => {
          if (conflict) save(conflict.draft, conflict.current.version);
        }}
      />
    </>
  );
}
