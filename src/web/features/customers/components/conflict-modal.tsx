import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { formatDateTime } from '../../../lib/format.js';
import type { Conflict } from './use-save-customer.js';

/** Shown on a 409: someone saved this customer after it was loaded here. */
export function ConflictModal({
  conflict,
  saving,
  onReload,
  onOverwrite,
  onClose,
}: {
  conflict: Conflict | null;
  saving: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={conflict !== null}
      onClose={onClose}
      title="This customer was changed by someone else"
      centered
    >
      <Stack gap="md">
        <Text size="sm">
          Another change was saved
          {conflict ? ` on ${formatDateTime(conflict.current.updated_at)}` : ''} while you were editing.
          Reload to see their version (your unsaved changes are dropped), or overwrite it with yours.
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
