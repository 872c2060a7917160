import { Button, Group, Stack, Switch, Text } from '@mantine/core';
import { IconAddressBook, IconFileExport } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Export } from '../../../../shared/exports.js';
import { PagedListCard } from '../../../components/paged-list-card.js';
import { PageHeader } from '../../../components/page-header.js';
import { useMe } from '../../auth/api/get-me.js';
import { useExports } from '../api/get-exports.js';
import { ApprovalQueue } from './approval-queue.js';
import { ExportTable } from './export-table.js';
import { ExportsTabs } from './exports-tabs.js';
import { RejectExportModal } from './reject-export-modal.js';
import { useExportActions } from './use-export-actions.js';

function EmptyExports({ mine }: { mine: boolean }) {
  return (
    <Stack align="center" gap={6} py={48} px="md">
      <IconFileExport size={40} stroke={1.4} opacity={0.5} aria-hidden />
      <Text fw={600}>No exports yet</Text>
      <Text size="sm" c="dimmed" ta="center">
        {mine ? 'You have not exported anything. ' : 'Nobody has exported customers yet. '}
        Export from the customer list (its filters or selected rows) or from a segment’s page.
      </Text>
      <Button
        component={Link}
        to="/customers"
        variant="light"
        leftSection={<IconAddressBook size={16} aria-hidden />}
        mt="xs"
      >
        Go to customers
      </Button>
    </Stack>
  );
}

/**
 * The exports page: past and running exports (progress polled while any runs), downloads, retry,
 * cancel and delete; for approvers, other people's exports waiting for a decision.
 */
export function ExportList() {
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const mine = params.get('mine') === 'true';
  const canApprove = me?.permissions.includes('export:approve') ?? false;
  const actions = useExportActions();
  const query = useExports({ mine });
  const exports = useMemo<Export[]>(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const canManage = (exp: Export) => canApprove || (!!me && exp.requested_by?.id === me.id);

  return (
    <>
      <PageHeader
        title="Exports"
        description="Customer exports: files are kept for a limited time, and every download is audited."
      />
      <ExportsTabs />
      <Stack gap="md">
        {canApprove ? <ApprovalQueue actions={actions} /> : null}
        <Group justify="space-between">
          <Switch
            label="Mine only"
            checked={mine}
            onChange={(e) =>
              setParams(
                (current) => {
                  const next = new URLSearchParams(current);
                  if (e.currentTarget.checked) next.set('mine', 'true');
                  else next.delete('mine');
                  return next;
                },
                { replace: true },
              )
            }
          />
        </Group>
        <PagedListCard
          query={query}
          loadingLabel="Loading exports"
          errorTitle="Could not load the exports"
          isEmpty={exports.length === 0}
          empty={<EmptyExports mine={mine} />}
        >
          <ExportTable
            exports={exports}
            label="Exports"
            actions={{
              canManage,
              onDelete: actions.confirmDelete,
              onRetry: actions.retry,
              retryingId: actions.retrying,
            }}
          />
        </PagedListCard>
      </Stack>
      <RejectExportModal exp={actions.rejecting} onClose={actions.closeReject} />
    </>
  );
}
