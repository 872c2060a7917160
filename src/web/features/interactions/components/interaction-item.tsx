import { ActionIcon, Anchor, Badge, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconCalendarEvent, IconPencil, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Interaction } from '../../../../shared/interactions.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useDeleteInteraction } from '../api/delete-interaction.js';
import { InteractionTypeIcon } from './interaction-type-icon.js';

/** One logged interaction; edit and delete for its author or an admin (`canChange`). */
export function InteractionItem({
  interaction,
  canChange,
  onEdit,
}: {
  interaction: Interaction;
  canChange: boolean;
  onEdit: () => void;
}) {
  const remove = useDeleteInteraction();
  const confirmDelete = () =>
    modals.openConfirmModal({
      title: 'Delete this interaction?',
      centered: true,
      children: (
        <Text size="sm">
          “{interaction.subject}” is removed from the log. A follow-up task it created is kept. This cannot be
          undone.
        </Text>
      ),
      labels: { confirm: 'Delete interaction', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(interaction.id, {
          onSuccess: () => notifySuccess('Interaction deleted'),
          onError: (error) => notifyError(error, 'Could not delete the interaction'),
        }),
    });

  return (
    <Card withBorder padding="sm" component="article" aria-label={interaction.subject}>
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <InteractionTypeIcon type={interaction.interaction_type} />
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
              {interaction.subject}
            </Text>
            {canChange ? (
              <Group gap={2} wrap="nowrap">
                <Tooltip label="Edit">
                  <ActionIcon variant="subtle" color="gray" aria-label="Edit interaction" onClick={onEdit}>
                    <IconPencil size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label="Delete">
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label="Delete interaction"
                    loading={remove.isPending}
                    onClick={confirmDelete}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            <Tooltip label={formatDateTime(interaction.occurred_at)}>
              <time dateTime={interaction.occurred_at}>{formatRelative(interaction.occurred_at)}</time>
            </Tooltip>
            {' · '}
            {interaction.author?.name ?? 'A former colleague'}
          </Text>
          {interaction.outcome ? (
            <Text size="sm">
              <Text span fw={500}>
                Outcome:
              </Text>{' '}
              {interaction.outcome}
            </Text>
          ) : null}
          {interaction.description ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {interaction.description}
            </Text>
          ) : null}
          {interaction.follow_up_date ? (
            <Group gap={6}>
              <Badge
                variant="light"
                color="yellow"
                size="sm"
                tt="none"
                leftSection={<IconCalendarEvent size={12} aria-hidden />}
              >
                Follow up {formatDateTime(interaction.follow_up_date)}
              </Badge>
              {interaction.follow_up_task_id ? (
                <Anchor component={Link} to={`/tasks?highlight=${interaction.follow_up_task_id}`} size="xs">
                  Open task
                </Anchor>
              ) : null}
            </Group>
          ) : null}
        </Stack>
      </Group>
    </Card>
  );
}
