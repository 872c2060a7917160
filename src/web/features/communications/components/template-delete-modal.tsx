import { Button, Group, Modal, Stack, Text } from '@mantine/core';

/** Confirms deleting a template; one already used for sending is archived instead. */
export function TemplateDeleteModal({
  name,
  opened,
  deleting,
  onConfirm,
  onClose,
}: {
  name: string;
  opened: boolean;
  deleting: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Delete this template?" centered>
      <Stack gap="md">
        <Text size="sm">
          “{name}” will be deleted. If it was already used for sending, it is archived instead: its statistics
          stay, and it can no longer be chosen for new email.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red.9" onClick={onConfirm} loading={deleting}>
            Delete template
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
