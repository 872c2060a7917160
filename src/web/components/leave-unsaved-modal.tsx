import { Button, Group, Modal, Stack, Text } from '@mantine/core';

/** Asked when leaving an editor with changes that are not saved; `what` is "segment", "template"… */
export function LeaveUnsavedModal({
  what,
  opened,
  onStay,
  onLeave,
}: {
  what: string;
  opened: boolean;
  onStay: () => void;
  onLeave: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onStay} title="Discard unsaved changes?" centered>
      <Stack gap="md">
        <Text size="sm">This {what} has changes that are not saved. Leave and lose them?</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onStay} data-autofocus>
            Keep editing
          </Button>
          <Button color="red.9" onClick={onLeave}>
            Discard changes
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
