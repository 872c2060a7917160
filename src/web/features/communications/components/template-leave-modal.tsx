import { Button, Group, Modal, Stack, Text } from '@mantine/core';

/** Asked when leaving the template editor with changes that are not saved. */
export function TemplateLeaveModal({
  opened,
  onStay,
  onLeave,
}: {
  opened: boolean;
  onStay: () => void;
  onLeave: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onStay} title="Discard unsaved changes?" centered>
      <Stack gap="md">
        <Text size="sm">This template has changes that are not saved. Leave and lose them?</Text>
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
