import { ActionIcon, Box, Group, Select, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { CriteriaRule } from '../../../../shared/criteria/index.js';
import type { CriteriaFieldInfo } from '../api/get-criteria-fields.js';
import { changeField, changeOp, fieldSelectData, opLabel, valueShape, withValue } from '../criteria-tree.js';
import classes from './criteria-builder.module.css';
import { CriteriaValueInput } from './criteria-value-input.js';

/** One condition: field → operator → value, then a remove button. */
export function CriteriaRuleEditor({
  rule,
  fields,
  label,
  onChange,
  onRemove,
}: {
  rule: CriteriaRule;
  fields: readonly CriteriaFieldInfo[];
  /** "Rule 2" or "Rule 3.1". */
  label: string;
  onChange: (rule: CriteriaRule) => void;
  onRemove: () => void;
}) {
  const field = fields.find((f) => f.name === rule.field);
  const fieldData = useMemo(() => {
    const data = fieldSelectData(fields);
    // a stored rule on a field the server no longer knows still shows (and is flagged)
    return field ? data : [...data, { group: 'Unknown', items: [{ value: rule.field, label: rule.field }] }];
  }, [fields, field, rule.field]);
  const ops = field?.ops ?? [rule.op];
  const opData = ops.map((op) => ({ value: op, label: opLabel(op, field?.type) }));
  if (!ops.includes(rule.op as never)) opData.push({ value: rule.op, label: rule.op });

  return (
    <Group gap="xs" align="flex-start" wrap="nowrap" data-rule={label}>
      <Box className={classes.rule}>
        <Select
          aria-label={`${label} field`}
          data={fieldData}
          value={rule.field}
          onChange={(name) => {
            const next = fields.find((f) => f.name === name);
            if (next) onChange(changeField(next));
          }}
          error={field ? undefined : 'Unknown field'}
          searchable
          // typing replaces the current field's name instead of appending to it
          onFocus={(e) => e.currentTarget.select()}
          allowDeselect={false}
          maxDropdownHeight={320}
          comboboxProps={{ width: 280, position: 'bottom-start' }}
        />
        <Select
          aria-label={`${label} operator`}
          data={opData}
          value={rule.op}
          onChange={(op) => op && onChange(changeOp(rule, field, op))}
          allowDeselect={false}
          comboboxProps={{ width: 'max-content', position: 'bottom-start' }}
        />
        <Box miw={0} className={classes.value}>
          <CriteriaValueInput
            shape={valueShape(field?.type, rule.op)}
            field={field}
            value={rule.value}
            onChange={(value) => onChange(withValue(rule, value))}
            label={label}
          />
        </Box>
      </Box>
      <Tooltip label="Remove rule" withArrow>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          aria-label={`Remove ${label.toLowerCase()}`}
          onClick={onRemove}
        >
          <IconTrash size={18} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
