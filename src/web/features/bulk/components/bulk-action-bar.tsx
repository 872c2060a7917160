import { Button, CloseButton, Group, Paper } from '@mantine/core';
import {
  IconFolderMinus,
  IconFolderPlus,
  IconStatusChange,
  IconTagMinus,
  IconTagPlus,
  IconUserShare,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { BulkActionType } from '../../../../shared/bulk.js';
import type { Permission } from '../../../../shared/permissions.js';
import { useMe } from '../../auth/api/get-me.js';
import { actionTitles } from './bulk-action-fields.js';
import { BulkActionModal, type BulkTarget } from './bulk-action-modal.js';

const actions: { type: BulkActionType; permission: Permission; icon: ReactNode }[] = [
  { type: 'add_tags', permission: 'customers:write', icon: <IconTagPlus size={16} /> },
  { type: 'remove_tags', permission: 'customers:write', icon: <IconTagMinus size={16} /> },
  { type: 'add_to_segment', permission: 'segments:manage', icon: <IconFolderPlus size={16} /> },
  { type: 'remove_from_segment', permission: 'segments:manage', icon: <IconFolderMinus size={16} /> },
  { type: 'set_status', permission: 'customers:write', icon: <IconStatusChange size={16} /> },
  { type: 'set_owner', permission: 'customers:write', icon: <IconUserShare size={16} /> },
];

/** Whether the signed-in user may run any bulk action (and so select rows at all). */
export function useCanRunBulkActions(): boolean {
  const { data } = useMe();
  return actions.some((a) => data?.permissions.includes(a.permission));
}

interface BulkActionBarProps {
  target: BulkTarget;
  /** What is selected, e.g. "2 selected" and a "Select all matching" link. */
  summary: ReactNode;
  onClear: () => void;
}

/** Shown while customers are selected: the actions the user may apply to all of them at once. */
export function BulkActionBar({ target, summary, onClear }: BulkActionBarProps) {
  const { data: me } = useMe();
  const [open, setOpen] = useState<BulkActionType | null>(null);
  const allowed = actions.filter((a) => me?.permissions.includes(a.permission));
  const canCreateTags = me?.permissions.includes('tags:manage') ?? false;

  return (
    <Paper
      withBorder
      radius="md"
      px="sm"
      py={6}
      bg="var(--mantine-primary-color-light)"
      role="region"
      aria-label="Bulk actions"
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="sm" wrap="wrap">
          {summary}
        </Group>
        <Group gap={6} wrap="wrap">
          {allowed.map((a) => (
            <Button
              key={a.type}
              size="xs"
              variant="default"
              leftSection={a.icon}
              onClick={() => setOpen(a.type)}
            >
              {actionTitles[a.type]}
            </Button>
          ))}
          <CloseButton aria-label="Clear selection" onClick={onClear} />
        </Group>
      </Group>
      <BulkActionModal
        type={open}
        target={target}
        canCreateTags={canCreateTags}
        onClose={() => setOpen(null)}
        onDone={() => {
          setOpen(null);
          onClear();
        }}
      />
    </Paper>
  );
}
