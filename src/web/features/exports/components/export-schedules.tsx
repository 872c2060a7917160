import { ActionIcon, Badge, Button, Card, Group, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconCalendarRepeat, IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ExportSchedule } from '../../../../shared/exports.js';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useDeleteExportSchedule } from '../api/delete-export-schedule.js';
import { useExportSchedules } from '../api/get-export-schedules.js';
import { formatLabels } from '../export-labels.js';
import { ExportsTabs } from './exports-tabs.js';
import { ScheduleFormModal } from './schedule-form-modal.js';

function When({ value, empty }: { value: string | null; empty: string }) {
  if (!value) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Text size="sm" title={formatDateTime(value)} style={{ whiteSpace: 'nowrap' }}>
      {formatRelative(value)}
    </Text>
  );
}

function EmptySchedules({ onNew }: { onNew: () => void }) {
  return (
    <Stack align="center" gap={6} py={48} px="md">
      <IconCalendarRepeat size={40} stroke={1.4} opacity={0.5} aria-hidden />
      <Text fw={600}>No scheduled exports</Text>
      <Text size="sm" c="dimmed" ta="center">
        A schedule exports the same customers on a timetable, every Monday at 07:00 say, and can email the
        link to colleagues.
      </Text>
      <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={onNew} mt="xs">
        New schedule
      </Button>
    </Stack>
  );
}

function ScheduleRow({
  schedule,
  onEdit,
  onDelete,
}: {
  schedule: ExportSchedule;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const recipients = schedule.recipients.map((r) => r.name ?? r.email).join(', ');
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={400}>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={500}>
            {schedule.name}
          </Text>
          {schedule.enabled ? null : (
            <Badge size="sm" color="gray" variant="light">
              Paused
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" lineClamp={1}>
          {schedule.selection_description}
          {schedule.purpose === 'marketing' ? ' · marketing' : ''}
        </Text>
      </Table.Th>
      <Table.Td>
        <Text size="sm">{schedule.cron_description}</Text>
        <Text size="xs" c="dimmed">
          <Text span ff="monospace" size="xs">
            {schedule.cron}
          </Text>{' '}
          · {schedule.timezone}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {formatLabels[schedule.format]}
          <Text span size="xs" c="dimmed">
            {' '}
            · {schedule.fields.length} fields
          </Text>
        </Text>
      </Table.Td>
      <Table.Td>
        <When
          value={schedule.enabled ? schedule.next_run_at : null}
          empty={schedule.enabled ? '—' : 'Paused'}
        />
      </Table.Td>
      <Table.Td>
        <When value={schedule.last_run_at} empty="Never" />
      </Table.Td>
      <Table.Td maw={220}>
        <Text size="sm" c={recipients ? undefined : 'dimmed'} lineClamp={2}>
          {recipients || 'Nobody'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Tooltip label="Edit" withArrow>
            <ActionIcon variant="subtle" onClick={onEdit} aria-label={`Edit schedule ${schedule.name}`}>
              <IconEdit size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delete" withArrow>
            <ActionIcon
              variant="subtle"
              color="red"
              onClick={onDelete}
              aria-label={`Delete schedule ${schedule.name}`}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Scheduled exports: when each runs (in words and in its time zone), what it exports, who gets it. */
export function ExportSchedules() {
  const query = useExportSchedules();
  const remove = useDeleteExportSchedule();
  // undefined: form closed; null: a new schedule
  const [editing, setEditing] = useState<ExportSchedule | null | undefined>(undefined);

  const confirmDelete = (schedule: ExportSchedule) =>
    modals.openConfirmModal({
      title: 'Delete this schedule?',
      centered: true,
      children: (
        <Text size="sm">
          “{schedule.name}” will no longer run. Exports it already made stay on the exports page until they
          expire.
        </Text>
      ),
      labels: { confirm: 'Delete schedule', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(schedule.id, {
          onSuccess: () => notifySuccess(`Schedule “${schedule.name}” deleted`),
          onError: (error) => notifyError(error, 'Could not delete the schedule'),
        }),
    });

  return (
    <>
      <PageHeader
        title="Exports"
        description="Customer exports: files are kept for a limited time, and every download is audited."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing(null)}>
            New schedule
          </Button>
        }
      />
      <ExportsTabs />
      <Card withBorder padding={0}>
        {query.isPending ? (
          <Stack p="md" gap="sm" role="status" aria-busy="true" aria-label="Loading schedules">
            <Skeleton height={28} />
            <Skeleton height={28} />
          </Stack>
        ) : query.isError ? (
          <Stack p="md">
            <QueryError
              error={query.error}
              title="Could not load the schedules"
              onRetry={() => void query.refetch()}
            />
          </Stack>
        ) : query.data.length === 0 ? (
          <EmptySchedules onNew={() => setEditing(null)} />
        ) : (
          <Table.ScrollContainer minWidth={980}>
            <Table aria-label="Export schedules" verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Schedule</Table.Th>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Format</Table.Th>
                  <Table.Th scope="col">Next run</Table.Th>
                  <Table.Th scope="col">Last run</Table.Th>
                  <Table.Th scope="col">Emailed to</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Actions
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.map((s) => (
                  <ScheduleRow
                    key={s.id}
                    schedule={s}
                    onEdit={() => setEditing(s)}
                    onDelete={() => confirmDelete(s)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {editing !== undefined ? (
        <ScheduleFormModal
          key={editing?.id ?? 'new'}
          schedule={editing ?? undefined}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </>
  );
}
