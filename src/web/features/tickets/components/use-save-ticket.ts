import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Ticket, TicketDetail, TicketUpdate } from '../../../../shared/tickets.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { useUpdateTicket } from '../api/update-ticket.js';

export type TicketChanges = Omit<TicketUpdate, 'version'>;

interface SaveCallbacks {
  onSaved?: (ticket: TicketDetail) => void;
  onFieldErrors?: (errors: Record<string, string>) => void;
}

interface Conflict extends SaveCallbacks {
  current: Ticket;
  changes: TicketChanges;
}

function isTicket(value: unknown): value is Ticket {
  return !!value && typeof value === 'object' && 'id' in value && 'version' in value && 'status' in value;
}

/**
 * Saves part of a ticket with the version it was read at. A 409 carries the stored ticket: the
 * user reloads it (dropping the change) or overwrites it (resends the change on its version).
 */
export function useSaveTicket(ticket: TicketDetail) {
  const mutation = useUpdateTicket();
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const send = (changes: TicketChanges, version: number, callbacks: SaveCallbacks) => {
    mutation.mutate(
      { id: ticket.id, body: { ...changes, version } },
      {
        onSuccess: (saved) => {
          setConflict(null);
          notifySuccess(`Ticket #${saved.number} saved`);
          callbacks.onSaved?.(saved);
        },
        onError: (error) => {
          if (isApiError(error, 409) && isTicket(error.current)) {
            setConflict({ current: error.current, changes, ...callbacks });
            return;
          }
          if (isApiError(error) && Object.keys(error.fieldErrors).length > 0) {
            callbacks.onFieldErrors?.(error.fieldErrors);
          }
          notifyError(error, 'Could not save the ticket');
        },
      },
    );
  };

  return {
    saving: mutation.isPending,
    conflict,
    save: (changes: TicketChanges, callbacks: SaveCallbacks = {}) => send(changes, ticket.version, callbacks),
    /** Drop my change and show the stored ticket (its comments come with the refetch). */
    reload: () => {
      if (!conflict) return;
      const key = queryKeys.tickets.detail(ticket.id);
      queryClient.setQueryData<TicketDetail>(key, (old) => ({
        ...conflict.current,
        comments: old?.comments ?? [],
      }));
      void queryClient.invalidateQueries({ queryKey: key });
      setConflict(null);
      notifySuccess('Showing the latest version');
    },
    /** Write my change over theirs, on the version they saved. */
    overwrite: () => {
      if (!conflict) return;
      send(conflict.changes, conflict.current.version, conflict);
    },
    dismiss: () => setConflict(null),
  };
}
