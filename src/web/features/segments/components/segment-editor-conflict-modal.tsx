import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { Segment } from '../../../../shared/segments.js';
import { formatDateTime } from '../../../lib/format.js';

/** Shown on a 409 version conflict: someone saved this segment after it was loaded here. */
export function SegmentEditorConflictModal({
  current,
  saving,
  onReload,
  onOverwrite,
  onClose,
}: {
  current: Segment | null;
  saving: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={current !== null}
      onClose={onClose}
      title="This segment was changed by someone else"
      centered
    >
      <Stack gap="md">
        <Text size="sm">
          Another change was saved
          {current ? ` on ${formatDateTime(current.updated_at)}` : ''} while you were editing. Reload to see
          their version (your unsaved changes are dropped), or overwrite it with yours.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onReload} disabled={saving}>
            Reload
          </Button>
          <Button color="red.9" onClick={onOverwrite} loading={saving}>
            Overwrite
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
