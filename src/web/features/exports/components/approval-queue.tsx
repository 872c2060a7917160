import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { Export } from '../../../../shared/exports.js';
import { QueryError } from '../../../components/query-error.js';
import { useMe } from '../../auth/api/get-me.js';
import { useExports } from '../api/get-exports.js';
import { ExportTable } from './export-table.js';
import type { useExportActions } from './use-export-actions.js';

/**
 * Other people's exports waiting for a second admin (one's own cannot be approved by oneself).
 * Nothing at all when there is nothing to decide.
 */
export function ApprovalQueue({ actions }: { actions: ReturnType<typeof useExportActions> }) {
  const { data: me } = useMe();
  const query = useExports({ state: 'pending_approval', mine: false });
  const waiting = useMemo<Export[]>(
    () => (query.data?.pages.flatMap((p) => p.data) ?? []).filter((e) => e.requested_by?.id !== me?.id),
    [query.data, me?.id],
  );
  if (query.isError) {
    return (
      <QueryError
        error={query.error}
        title="Could not load the exports awaiting approval"
        onRetry={() => void query.refetch()}
      />
    );
  }
  if (waiting.length === 0) return null;
  return (
    <Card withBorder padding={0} component="section" aria-labelledby="approval-queue-title">
      <Stack gap={2} p="md" pb="xs">
        <Group gap="xs">
          <IconShieldCheck size={20} color="var(--mantine-color-yellow-7)" aria-hidden />
          <Title order={2} size="h4" id="approval-queue-title">
            Awaiting approval ({waiting.length})
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          Large exports of personal data run only after a second administrator approves them.
        </Text>
      </Stack>
      <ExportTable
        exports={waiting}
        label="Exports awaiting approval"
        actions={{
          canManage: () => false,
          onDelete: actions.confirmDelete,
          onRetry: actions.retry,
          onApprove: actions.confirmApprove,
          onReject: actions.openReject,
        }}
      />
    </Card>
  );
}
