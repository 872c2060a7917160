import type { Segment } from '../../../../shared/segments.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';

/** Shown on a 409 version conflict: someone saved this segment after it was loaded here. */
export function SegmentEditorConflictModal({
  current,
  ...actions
}: {
  current: Segment | null;
  saving: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  return <VersionConflictModal what="segment" updatedAt={current?.updated_at ?? null} {...actions} />;
}
