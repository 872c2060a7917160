import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import type { Conflict } from './use-save-customer.js';

/** Shown on a 409: someone saved this customer after it was loaded here. */
export function ConflictModal({
  conflict,
  ...actions
}: {
  conflict: Conflict | null;
  saving: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  return (
    <VersionConflictModal what="customer" updatedAt={conflict?.current.updated_at ?? null} {...actions} />
  );
}
