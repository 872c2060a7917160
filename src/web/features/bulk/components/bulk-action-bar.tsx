import { Button, CloseButton, Group, Menu, Paper } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  IconChevronDown,
  IconFolderMinus,
  IconFolderPlus,
  IconStatusChange,
  IconTagMinus,
  IconTagPlus,
  IconUserShare,
} from '@tabler/icons-react';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import type { BulkActionType } from '../../../../shared/bulk.js';
import type { Permission } from '../../../../shared/permissions.js';
import { useMe } from '../../auth/api/get-me.js';
import { actionTitles, type BulkTarget } from './bulk-target.js';

// The dialog (pickers, job progress) loads when an action is first chosen, not with the list.
const BulkActionModal = lazy(() =>
  import('./bulk-action-modal.js').then((m) => ({ default: m.BulkActionModal })),
);

// The bulk endpoint needs customers:write for every action; segment membership also segments:manage.
const write: Permission[] = ['customers:write'];
const segments: Permission[] = ['customers:write', 'segments:manage'];
const actions: { type: BulkActionType; needs: Permission[]; icon: ReactNode }[] = [
  { type: 'add_tags', needs: write, icon: <IconTagPlus size={16} /> },
  { type: 'remove_tags', needs: write, icon: <IconTagMinus size={16} /> },
  { type: 'add_to_segment', needs: segments, icon: <IconFolderPlus size={16} /> },
  { type: 'remove_from_segment', needs: segments, icon: <IconFolderMinus size={16} /> },
  { type: 'set_status', needs: write, icon: <IconStatusChange size={16} /> },
  { type: 'set_owner', needs: write, icon: <IconUserShare size={16} /> },
];

const allowedFor = (granted: readonly string[] | undefined) =>
  actions.filter((a) => a.needs.every((p) => granted?.includes(p)));

/** Whether the signed-in user may run any bulk action (and so select rows at all). */
export function useCanRunBulkActions(): boolean {
  const { data } = useMe();
  return allowedFor(data?.permissions).length > 0;
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
  // once opened, the modal stays mounted so it can animate closed
  const [used, setUsed] = useState(false);
  if (open !== null && !used) setUsed(true);
  const allowed = allowedFor(me?.permissions);
  const canCreateTags = me?.permissions.includes('tags:manage') ?? false;
  // On a phone the six buttons would take half the screen: they fold into one menu.
  const narrow = useMediaQuery('(max-width: 48em)');

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
          {narrow ? (
            <Menu position="bottom-end" shadow="md">
              <Menu.Target>
                <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} />}>
                  Actions
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {allowed.map((a) => (
                  <Menu.Item key={a.type} leftSection={a.icon} onClick={() => setOpen(a.type)}>
                    {actionTitles[a.type]}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          ) : (
            allowed.map((a) => (
              <Button
                key={a.type}
                size="xs"
                variant="default"
                leftSection={a.icon}
                onClick={() => setOpen(a.type)}
              >
                {actionTitles[a.type]}
              </Button>
            ))
          )}
          <CloseButton aria-label="Clear selection" onClick={onClear} />
        </Group>
      </Group>
      <Suspense fallback={null}>
        {open !== null || used ? (
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
        ) : null}
      </Suspense>
    </Paper>
  );
}
