import { Button, Card, Center, Skeleton, Stack, Text } from '@mantine/core';
import { IconListSearch } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditEntry } from '../../../../shared/audit.js';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { useAudit } from '../api/get-audit.js';
import { type AuditFilters, hasAuditFilters, parseAuditParams, toAuditParams } from '../audit-params.js';
import { AuditFiltersBar } from './audit-filters.js';
import { AuditTable } from './audit-table.js';

function EmptyAudit({ filtered }: { filtered: boolean }) {
  return (
    <Stack align="center" gap={6} py={48} px="md">
      <IconListSearch size={40} stroke={1.4} opacity={0.5} aria-hidden />
      <Text fw={600}>{filtered ? 'No entries match' : 'Nothing recorded yet'}</Text>
      <Text size="sm" c="dimmed" ta="center">
        {filtered
          ? 'Try fewer filters or a wider date range.'
          : 'Sign-ins, staff changes, exports, downloads and privacy requests are recorded here.'}
      </Text>
    </Stack>
  );
}

/** The audit log (read-only, append-only): filters in the URL, newest first, older on request. */
export function AuditLog() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseAuditParams(params), [params]);
  const update = useCallback(
    (patch: Partial<AuditFilters>) =>
      setParams((current) => toAuditParams({ ...parseAuditParams(current), ...patch }), { replace: true }),
    [setParams],
  );
  const query = useAudit(filters);
  const entries = useMemo<AuditEntry[]>(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const filtered = hasAuditFilters(filters);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what and when: sign-ins, staff changes, exports and downloads, privacy requests."
      />
      <AuditFiltersBar filters={filters} onChange={update} onClear={() => setParams({}, { replace: true })} />
      <Card withBorder padding={0}>
        {query.isPending ? (
          <Stack p="md" gap="sm" role="status" aria-busy="true" aria-label="Loading the audit log">
            <Skeleton height={28} />
            <Skeleton height={28} />
            <Skeleton height={28} />
          </Stack>
        ) : query.isError ? (
          <Stack p="md">
            <QueryError
              error={query.error}
              title="Could not load the audit log"
              onRetry={() => void query.refetch()}
            />
          </Stack>
        ) : entries.length === 0 ? (
          <EmptyAudit filtered={filtered} />
        ) : (
          <AuditTable entries={entries} />
        )}
        {query.hasNextPage ? (
          <Center p="sm">
            <Button
              variant="default"
              loading={query.isFetchingNextPage}
              onClick={() => void query.fetchNextPage()}
            >
              Load more
            </Button>
          </Center>
        ) : null}
      </Card>
    </>
  );
}
