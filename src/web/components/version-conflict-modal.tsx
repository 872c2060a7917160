import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { formatDateTime } from '../lib/format.js';

/**
 * Shown on a 409 version conflict: someone saved this record after it was loaded here. One
 * dialog for every versioned record (customers, segments, and what follows), so the choice reads
 * the same everywhere: reload theirs, or overwrite with mine.
 */
export function VersionConflictModal({
  what,
  updatedAt,
  saving,
  onReload,
  onOverwrite,
  onClose,
}: {
  /** The record, in words: "customer", "segment". */
  what: string;
  /** When the other change was saved; null keeps the dialog closed. */
  updatedAt: string | null;
  saving: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={updatedAt !== null}
      onClose={onClose}
      title={`This ${what} was changed by someone else`}
      centered
    >
      <Stack gap="md">
        <Text size="sm">
          Another change was saved
          {updatedAt ? ` on ${formatDateTime(updatedAt)}` : ''} while you were editing. Reload to see their
          version (your unsaved changes are dropped), or overwrite it with yours.
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
