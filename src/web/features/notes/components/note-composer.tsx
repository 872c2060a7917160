import { Card } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useCreateNote } from '../api/create-note.js';
import { NoteEditor } from './note-editor.js';

/** Adds a note; the editor starts empty again after each one. */
export function NoteComposer({ customerId }: { customerId: string }) {
  const create = useCreateNote();
  const [round, setRound] = useState(0);
  const fieldErrors = create.error && isApiError(create.error, 400) ? create.error.fieldErrors : {};
  return (
    <Card withBorder padding="sm" bg="var(--mantine-color-default-hover)">
      <NoteEditor
        key={round}
        label="New note"
        submitLabel="Add note"
        initial={{ content: '', note_type: 'general', pinned: false }}
        pending={create.isPending}
        errors={fieldErrors}
        onSubmit={(draft) =>
          create.mutate(
            { customerId, body: draft },
            {
              onSuccess: () => {
                notifySuccess('Note added');
                setRound((r) => r + 1);
                create.reset();
              },
              onError: (error) => {
                if (!isApiError(error, 400) || Object.keys(error.fieldErrors).length === 0)
                  notifyError(error, 'Could not add the note');
              },
            },
          )
        }
      />
    </Card>
  );
}
