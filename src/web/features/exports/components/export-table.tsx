import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconCheck, IconDownload, IconRefresh, IconTrash, IconX } from '@tabler/icons-react';
import type { Export } from '../../../../shared/exports.js';
import { formatCount, formatDateTime, formatRelative } from '../../../lib/format.js';
import { formatBytes, formatLabels } from '../export-labels.js';
import { ExportState } from './export-state.js';
import { isCancellable, requesterName } from './use-export-actions.js';

export interface ExportRowActions {
  /** Whether this user may cancel or delete the export (their own, or an approver's). */
  canManage: (exp: Export) => boolean;
  onDelete: (exp: Export) => void;
  onRetry: (exp: Export) => void;
  retryingId?: string | undefined;
  /** Approval queue only. */
  onApprove?: (exp: Export) => void;
  onReject?: (exp: Export) => void;
}

function When({ value, future }: { value: string | null; future?: boolean }) {
  if (!value) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Text size="sm" title={formatDateTime(value)} style={{ whiteSpace: 'nowrap' }}>
      {future && new Date(value).getTime() < Date.now() ? 'Expired' : formatRelative(value)}
    </Text>
  );
}

function RowActions({ exp, actions }: { exp: Export; actions: ExportRowActions }) {
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      {actions.onApprove ? (
        <Button
          size="xs"
          leftSection={<IconCheck size={14} aria-hidden />}
          onClick={() => actions.onApprove?.(exp)}
          aria-label={`Approve export ${exp.title}`}
        >
          Approve
        </Button>
      ) : null}
      {actions.onReject ? (
        <Button
          size="xs"
          variant="outline"
          color="red"
          leftSection={<IconX size={14} aria-hidden />}
          onClick={() => actions.onReject?.(exp)}
          aria-label={`Reject export ${exp.title}`}
        >
          Reject
        </Button>
      ) : null}
      {exp.state === 'completed' && exp.download_url ? (
        <Button
          component="a"
          href={exp.download_url}
          download={exp.file_name}
          size="xs"
          variant="light"
          leftSection={<IconDownload size={14} aria-hidden />}
          aria-label={`Download ${exp.file_name}`}
        >
          Download
        </Button>
      ) : null}
      {exp.state === 'failed' && actions.canManage(exp) ? (
        <Button
          size="xs"
          variant="light"
          leftSection={<IconRefresh size={14} aria-hidden />}
          loading={actions.retryingId === exp.id}
          onClick={() => actions.onRetry(exp)}
          aria-label={`Retry export ${exp.title}`}
        >
          Retry
        </Button>
      ) : null}
      {(isCancellable(exp) || exp.state === 'completed') && !actions.onApprove && actions.canManage(exp) ? (
        <Button
          size="xs"
          variant="outline"
          color="red"
          leftSection={<IconTrash size={14} aria-hidden />}
          onClick={() => actions.onDelete(exp)}
          aria-label={`${isCancellable(exp) ? 'Cancel' : 'Delete'} export ${exp.title}`}
        >
          {isCancellable(exp) ? 'Cancel' : 'Delete'}
        </Button>
      ) : null}
    </Group>
  );
}

/** Exports newest first: what, state (with progress), size, who, when, and what can be done with each. */
export function ExportTable({
  exports,
  label,
  actions,
}: {
  exports: Export[];
  label: string;
  actions: ExportRowActions;
}) {
  return (
    <Table.ScrollContainer minWidth={1080}>
      <Table aria-label={label} verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Export</Table.Th>
            <Table.Th scope="col">Format</Table.Th>
            <Table.Th scope="col" miw={180}>
              State
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Rows
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Size
            </Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>
              Requested by
            </Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Expires</Table.Th>
            <Table.Th scope="col" ta="right">
              Actions
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {exports.map((exp) => (
            <Table.Tr key={exp.id}>
              <Table.Th scope="row" fw={400} maw={320}>
                <Stack gap={0}>
                  <Text size="sm" fw={500}>
                    {exp.title}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {exp.file_name}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={1} title={exp.selection_description}>
                    {exp.selection_description}
                    {exp.purpose === 'marketing' ? ' · marketing' : ''}
                  </Text>
                </Stack>
              </Table.Th>
              <Table.Td>
                <Text size="sm">{formatLabels[exp.format]}</Text>
              </Table.Td>
              <Table.Td>
                <ExportState exp={exp} />
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{exp.row_count === null ? '—' : formatCount(exp.row_count)}</Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatBytes(exp.file_size)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{requesterName(exp)}</Text>
              </Table.Td>
              <Table.Td>
                <When value={exp.created_at} />
              </Table.Td>
              <Table.Td>
                <When value={exp.state === 'completed' ? exp.expires_at : null} future />
              </Table.Td>
              <Table.Td>
                <RowActions exp={exp} actions={actions} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
