import { Stack, Text } from '@mantine/core';
import { IconListSearch } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditEntry } from '../../../../shared/audit.js';
import { PagedListCard } from '../../../components/paged-list-card.js';
import { PageHeader } from '../../../components/page-header.js';
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
      <PagedListCard
        query={query}
        loadingLabel="Loading the audit log"
        errorTitle="Could not load the audit log"
        isEmpty={entries.length === 0}
        empty={<EmptyAudit filtered={filtered} />}
      >
        <AuditTable entries={entries} />
      </PagedListCard>
    </>
  );
}
