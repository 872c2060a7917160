import { Button, Group, Text, Tooltip } from '@mantine/core';
import { IconHandStop } from '@tabler/icons-react';
import type { Customer } from '../../../../shared/customers.js';
import { ConflictModal } from './conflict-modal.js';
import { useSaveCustomer } from './use-save-customer.js';

/**
 * Says when the lifecycle stage was set by hand (the rules leave it alone) and lets a writer
 * hand it back to the rules, which re-evaluate it at once.
 */
export function StageOverride({ customer, canEdit }: { customer: Customer; canEdit: boolean }) {
  const saver = useSaveCustomer(customer);
  if (!customer.lifecycle_stage_manual) return null;
  return (
    <Group gap={6} wrap="nowrap">
      <Tooltip label="Set by hand: the lifecycle rules leave this stage alone until it is handed back">
        <Group gap={2} c="dimmed" tabIndex={0} aria-label="Stage set by hand">
          <IconHandStop size={14} aria-hidden />
          <Text size="xs">set by hand</Text>
        </Group>
      </Tooltip>
      {canEdit ? (
        <Button
          size="compact-xs"
          variant="subtle"
          loading={saver.saving}
          onClick={() => saver.save({ lifecycle_stage_auto: true })}
        >
          Use rules
        </Button>
      ) : null}
      <ConflictModal
        conflict={saver.conflict}
        saving={saver.saving}
        onReload={saver.reload}
        onOverwrite={saver.overwrite}
        onClose={saver.dismiss}
      />
    </Group>
  );
}
