import { List, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import { exportField } from '../../../../shared/export-fields.js';
import type { Export } from '../../../../shared/exports.js';
import { formatCount } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useApproveExport } from '../api/approve-export.js';
import { useDeleteExport } from '../api/delete-export.js';
import { useRetryExport } from '../api/retry-export.js';
import { formatLabels } from '../export-labels.js';

/** Not started yet: discarding it cancels it (a completed one's file is deleted instead). */
export const isCancellable = (exp: Export) => exp.state === 'pending_approval' || exp.state === 'queued';

export const requesterName = (exp: Export) =>
  exp.requested_by ? (exp.requested_by.name ?? exp.requested_by.email) : 'A schedule';

const fieldLabels = (names: readonly string[]) => names.map((n) => exportField(n)?.label ?? n).join(', ');

/** What an export holds, as a reviewer needs it before approving. */
export function ExportSummary({ exp }: { exp: Export }) {
  return (
    <List size="sm" spacing={4}>
      <List.Item>Requested by {requesterName(exp)}</List.Item>
      <List.Item>
        {formatLabels[exp.format]}, {exp.purpose} use
        {exp.row_count !== null ? `, ${formatCount(exp.row_count)} rows` : ''}
      </List.Item>
      <List.Item>Customers: {exp.selection_description}</List.Item>
      <List.Item>Fields: {fieldLabels(exp.fields)}</List.Item>
      {exp.masked_fields.length > 0 ? <List.Item>Masked: {fieldLabels(exp.masked_fields)}</List.Item> : null}
    </List>
  );
}

/** Retry, cancel / delete (confirmed first), approve (confirmed) and reject (a reason, in its modal). */
export function useExportActions() {
  const approve = useApproveExport();
  const retry = useRetryExport();
  const remove = useDeleteExport();
  const [rejecting, setRejecting] = useState<Export | null>(null);

  const confirmDelete = (exp: Export) => {
    const cancel = isCancellable(exp);
    modals.openConfirmModal({
      title: cancel ? 'Cancel this export?' : 'Delete this export’s file?',
      centered: true,
      children: (
        <Text size="sm">
          {cancel
            ? `“${exp.title}” will not run. The audit log keeps that it was requested.`
            : `The file of “${exp.title}” will be deleted; nobody can download it afterwards. The list and the audit log keep a record of it.`}
        </Text>
      ),
      labels: { confirm: cancel ? 'Cancel export' : 'Delete file', cancel: cancel ? 'Keep it' : 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(exp.id, {
          onSuccess: () => notifySuccess(`Export “${exp.title}” ${cancel ? 'cancelled' : 'deleted'}`),
          onError: (error) => notifyError(error, `Could not ${cancel ? 'cancel' : 'delete'} the export`),
        }),
    });
  };

  const confirmApprove = (exp: Export) =>
    modals.openConfirmModal({
      title: 'Approve this export?',
      centered: true,
      children: (
        <Stack gap="xs">
          <Text size="sm">“{exp.title}” will run at once and its requester can download it.</Text>
          <ExportSummary exp={exp} />
        </Stack>
      ),
      labels: { confirm: 'Approve export', cancel: 'Cancel' },
      onConfirm: () =>
        approve.mutate(exp.id, {
          onSuccess: () => notifySuccess(`Export “${exp.title}” approved`),
          onError: (error) => notifyError(error, 'Could not approve the export'),
        }),
    });

  const runAgain = (exp: Export) =>
    retry.mutate(exp.id, {
      onSuccess: () => notifySuccess(`Export “${exp.title}” queued again`),
      onError: (error) => notifyError(error, 'Could not retry the export'),
    });

  return {
    confirmDelete,
    confirmApprove,
    retry: runAgain,
    retrying: retry.isPending ? retry.variables : undefined,
    rejecting,
    openReject: (exp: Export) => setRejecting(exp),
    closeReject: () => setRejecting(null),
  };
}
