import { Button, Checkbox, Popover, Stack, Text } from '@mantine/core';
import { IconColumns } from '@tabler/icons-react';
import { customerColumns } from './customer-columns.js';

export function ColumnChooser({
  hidden,
  onChange,
  onReset,
}: {
  hidden: readonly string[];
  onChange: (hidden: string[]) => void;
  onReset: () => void;
}) {
  const toggle = (id: string, visible: boolean) =>
    onChange(visible ? hidden.filter((h) => h !== id) : [...hidden, id]);

  return (
    <Popover position="bottom-end" shadow="md" width={220} trapFocus>
      <Popover.Target>
        <Button variant="default" leftSection={<IconColumns size={16} />}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb="xs" id="column-chooser-title">
          Visible columns
        </Text>
        <Stack gap={8} role="group" aria-labelledby="column-chooser-title">
          {customerColumns.map((column) => (
            <Checkbox
              key={column.id}
              label={column.label}
              checked={!hidden.includes(column.id)}
              disabled={column.required}
              onChange={(event) => toggle(column.id, event.currentTarget.checked)}
            />
          ))}
        </Stack>
        <Button variant="subtle" size="xs" mt="sm" onClick={onReset}>
          Reset to default
        </Button>
      </Popover.Dropdown>
    </Popover>
  );
}
