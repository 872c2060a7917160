import { Badge, Button, Checkbox, Fieldset, Group, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import {
  defaultExportFields,
  type ExportField,
  type ExportFieldGroup,
  exportFields,
} from '../../../../shared/export-fields.js';
import { groupLabels } from '../export-labels.js';

const groups = Object.keys(groupLabels) as ExportFieldGroup[];
const fieldsOf = (group: ExportFieldGroup) => exportFields.filter((f) => f.group === group);

/** The chosen names in the catalogue's order (the file's column order). */
export function orderedFields(chosen: Iterable<string>): string[] {
  const set = new Set(chosen);
  return exportFields.filter((f) => set.has(f.name)).map((f) => f.name);
}

function FieldLabel({ field, masked }: { field: ExportField; masked: boolean }) {
  if (!masked) return field.label;
  return (
    <Group gap={6} wrap="nowrap" component="span">
      <span>{field.label}</span>
      <Tooltip label="Personal data: masked in the file without the export:pii permission" withArrow>
        <Badge
          component="span"
          size="xs"
          color="orange"
          variant="light"
          leftSection={<IconLock size={10} aria-hidden />}
        >
          masked
        </Badge>
      </Tooltip>
    </Group>
  );
}

function GroupFields({
  group,
  value,
  masked,
  onToggle,
}: {
  group: ExportFieldGroup;
  value: ReadonlySet<string>;
  masked: ReadonlySet<string>;
  onToggle: (names: string[], on: boolean) => void;
}) {
  const fields = fieldsOf(group);
  const chosen = fields.filter((f) => value.has(f.name)).length;
  return (
    <Fieldset
      variant="filled"
      p="sm"
      legend={
        <Checkbox
          size="xs"
          fw={600}
          label={`${groupLabels[group]} (${chosen}/${fields.length})`}
          aria-label={`All ${groupLabels[group].toLowerCase()} fields`}
          checked={chosen === fields.length}
          indeterminate={chosen > 0 && chosen < fields.length}
          onChange={(e) =>
            onToggle(
              fields.map((f) => f.name),
              e.currentTarget.checked,
            )
          }
        />
      }
    >
      <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing={6} verticalSpacing={6}>
        {fields.map((field) => (
          <Checkbox
            key={field.name}
            size="sm"
            value={field.name}
            label={<FieldLabel field={field} masked={masked.has(field.name)} />}
            aria-label={masked.has(field.name) ? `${field.label} (masked)` : field.label}
            checked={value.has(field.name)}
            onChange={(e) => onToggle([field.name], e.currentTarget.checked)}
          />
        ))}
      </SimpleGrid>
    </Fieldset>
  );
}

/**
 * The columns of an export, grouped as the catalogue groups them, with all / none / defaults.
 * Fields in `masked` carry a "masked" mark: the file will hold asterisks, not the data.
 */
export function ExportFieldPicker({
  value,
  onChange,
  masked,
  error,
}: {
  value: readonly string[];
  onChange: (fields: string[]) => void;
  masked: ReadonlySet<string>;
  error?: string | null;
}) {
  const chosen = new Set(value);
  const toggle = (names: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const name of names) {
      if (on) next.add(name);
      else next.delete(name);
    }
    onChange(orderedFields(next));
  };
  return (
    <Stack gap="xs" role="group" aria-label="Fields">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" fw={500}>
          Fields{' '}
          <Text span size="sm" c="dimmed">
            ({value.length} of {exportFields.length})
          </Text>
        </Text>
        <Group gap={4}>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onChange(exportFields.map((f) => f.name))}
          >
            Select all
          </Button>
          <Button size="compact-xs" variant="subtle" onClick={() => onChange([])}>
            Select none
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onChange(orderedFields(defaultExportFields))}
          >
            Defaults
          </Button>
        </Group>
      </Group>
      {error ? (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      ) : null}
      {groups.map((group) => (
        <GroupFields key={group} group={group} value={chosen} masked={masked} onToggle={toggle} />
      ))}
    </Stack>
  );
}
