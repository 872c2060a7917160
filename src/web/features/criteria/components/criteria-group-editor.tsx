import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconFolderPlus, IconPlus, IconTrash } from '@tabler/icons-react';
import {
  CRITERIA_LIMITS,
  type CriteriaGroup,
  type CriteriaNode,
  isGroup,
} from '../../../../shared/criteria/index.js';
import type { CriteriaFieldInfo } from '../api/get-criteria-fields.js';
import { newRule, nodeNumber } from '../criteria-tree.js';
import { CriteriaRuleEditor } from './criteria-rule-editor.js';

/**
 * A group of rules joined by AND (`all`) or OR (`any`), optionally negated, holding rules and
 * nested groups. The root group is the whole tree.
 */
export function CriteriaGroupEditor({
  group,
  path,
  fields,
  onChange,
  onRemove,
}: {
  group: CriteriaGroup;
  /** Indices from the root; [] for the root. */
  path: readonly number[];
  fields: readonly CriteriaFieldInfo[];
  onChange: (group: CriteriaGroup) => void;
  onRemove?: () => void;
}) {
  const isRoot = path.length === 0;
  const name = isRoot ? 'Criteria' : `Group ${nodeNumber(path)}`;
  const setRules = (rules: CriteriaNode[]) => onChange({ ...group, rules });
  const replace = (i: number, node: CriteriaNode) =>
    setRules(group.rules.map((n, j) => (j === i ? node : n)));
  const remove = (i: number) => setRules(group.rules.filter((_, j) => j !== i));
  const firstField = fields[0];
  const canNest = path.length < CRITERIA_LIMITS.maxDepth;
  const joiner = group.match === 'all' ? 'AND' : 'OR';

  return (
    <Stack gap="xs" role="group" aria-label={name}>
      <Group gap="sm" justify="space-between" wrap="wrap">
        <Group gap="sm" wrap="wrap">
          <Text size="sm" fw={500}>
            {isRoot ? 'Customers who match' : 'Match'}
          </Text>
          <SegmentedControl
            size="xs"
            aria-label={`${name}: match`}
            value={group.match}
            onChange={(match) => onChange({ ...group, match: match === 'any' ? 'any' : 'all' })}
            data={[
              { value: 'all', label: 'All rules' },
              { value: 'any', label: 'Any rule' },
            ]}
          />
          <Checkbox
            size="xs"
            label={isRoot ? 'Exclude them instead (NOT)' : 'Negate this group (NOT)'}
            checked={!!group.not}
            onChange={(e) => {
              const { not: _not, ...rest } = group;
              onChange(e.currentTarget.checked ? { ...rest, not: true } : rest);
            }}
          />
        </Group>
        {onRemove ? (
          <Tooltip label="Remove group" withArrow>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Remove ${name.toLowerCase()}`}
              onClick={onRemove}
            >
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        ) : null}
      </Group>

      {group.rules.length === 0 ? (
        <Text size="sm" c="dimmed">
          {isRoot ? 'No rules yet: every customer matches.' : 'An empty group: add a rule to it.'}
        </Text>
      ) : null}

      {group.rules.map((node, i) => {
        const childPath = [...path, i];
        return (
          // nodes have no ids; every input is controlled, so position is a stable enough key
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <Box key={i}>
            {i > 0 ? (
              <Badge size="xs" variant="light" color={joiner === 'AND' ? 'blue' : 'grape'} mb={6} aria-hidden>
                {joiner}
              </Badge>
            ) : null}
            {isGroup(node) ? (
              <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-default-hover)">
                <CriteriaGroupEditor
                  group={node}
                  path={childPath}
                  fields={fields}
                  onChange={(g) => replace(i, g)}
                  onRemove={() => remove(i)}
                />
              </Paper>
            ) : (
              <CriteriaRuleEditor
                rule={node}
                fields={fields}
                label={`Rule ${nodeNumber(childPath)}`}
                onChange={(r) => replace(i, r)}
                onRemove={() => remove(i)}
              />
            )}
          </Box>
        );
      })}

      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          disabled={!firstField}
          onClick={() => firstField && setRules([...group.rules, newRule(firstField)])}
          aria-label={isRoot ? 'Add rule' : `Add rule to ${name.toLowerCase()}`}
        >
          Add rule
        </Button>
        {canNest ? (
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconFolderPlus size={14} />}
            disabled={!firstField}
            onClick={() =>
              firstField &&
              setRules([
                ...group.rules,
                { match: group.match === 'all' ? 'any' : 'all', rules: [newRule(firstField)] },
              ])
            }
            aria-label={isRoot ? 'Add group' : `Add group to ${name.toLowerCase()}`}
          >
            Add group
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
