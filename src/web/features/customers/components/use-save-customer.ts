import { useState } from 'react';
import type { Customer, CustomerUpdate } from '../../../../shared/customers.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../lib/query-keys.js';
import { useUpdateCustomer } from '../api/update-customer.js';

export type CustomerChanges = Omit<CustomerUpdate, 'version'>;

export interface Conflict {
  current: Customer;
  changes: CustomerChanges;
}

interface SaveCallbacks {
  onSaved?: (customer: Customer) => void;
  /** Field errors from the server (400/409 with errors[]), keyed by field path. */
  onFieldErrors?: (errors: Record<string, string>) => void;
}

function isCustomer(value: unknown): value is Customer {
  return !!value && typeof value === 'object' && 'id' in value && 'version' in value;
}

/**
 * Saves part of a customer with the version it was read at. A 409 with the current customer
 * opens a conflict the user resolves: reload (drop my changes) or overwrite (resend on top).
 */
export function useSaveCustomer(customer: Customer) {
  const mutation = useUpdateCustomer();
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<(Conflict & SaveCallbacks) | null>(null);

  const send = (changes: CustomerChanges, version: number, callbacks: SaveCallbacks) => {
    mutation.mutate(
      { id: customer.id, body: { ...changes, version } },
      {
        onSuccess: (saved) => {
          setConflict(null);
          notifySuccess('Customer saved');
          callbacks.onSaved?.(saved);
        },
        onError: (error) => {
          if (isApiError(error, 409) && isCustomer(error.current)) {
            setConflict({ current: error.current, changes, ...callbacks });
            return;
          }
          if (isApiError(error) && Object.keys(error.fieldErrors).length > 0) {
            callbacks.onFieldErrors?.(error.fieldErrors);
          }
          notifyError(error, 'Could not save');
        },
      },
    );
  };

  return {
    saving: mutation.isPending,
    conflict,
    save: (changes: CustomerChanges, callbacks: SaveCallbacks = {}) =>
      send(changes, customer.version, callbacks),
    /** Drop my changes and show what is stored now. */
    reload: () => {
      if (!conflict) return;
      queryClient.setQueryData(queryKeys.customers.detail(customer.id), conflict.current);
      void queryClient.invalidateQueries({ queryKey: queryKeys.customers.detail(customer.id) });
      const { onSaved, current } = conflict;
      setConflict(null);
      onSaved?.(current);
      notifySuccess('Showing the latest version');
    },
    /** Write my changes over the other person's, based on the version they saved. */
    overwrite: () => {
      if (!conflict) return;
      send(conflict.changes, conflict.current.version, conflict);
    },
    dismiss: () => setConflict(null),
  };
}
