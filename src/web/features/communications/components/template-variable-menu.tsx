import { Button, Menu, ScrollArea, Text } from '@mantine/core';
import { IconBraces, IconChevronDown } from '@tabler/icons-react';
import { templateVariables } from '../../../../shared/communications.js';
import { type ContentField, contentFieldLabels } from './template-form.js';

/** Inserts `{{variable}}` into the field the user last worked in (at its cursor). */
export function TemplateVariableMenu({
  target,
  onInsert,
}: {
  target: ContentField;
  onInsert: (token: string) => void;
}) {
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconBraces size={14} />}
          rightSection={<IconChevronDown size={14} />}
        >
          Insert variable
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Into {contentFieldLabels[target].toLowerCase()}, at the cursor</Menu.Label>
        <ScrollArea.Autosize mah={280}>
          {templateVariables.map((name) => (
            <Menu.Item key={name} onClick={() => onInsert(`{{${name}}}`)}>
              <Text size="sm" ff="monospace">{`{{${name}}}`}</Text>
            </Menu.Item>
          ))}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}
