import { Badge, Button, CloseButton, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure, useLocalStorage } from '@mantine/hooks';
import { IconFileImport, IconFilter, IconPlus, IconSearch, IconUsers, IconX } from '@tabler/icons-react';
import type { RowSelectionState } from '@tanstack/react-table';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { BulkSelection } from '../../../../shared/bulk.js';
import type { ExportSelection } from '../../../../shared/exports.js';
import type { CustomerRow, CustomerSortField } from '../../../../shared/customers.js';
import { CompactMultiSelect } from '../../../components/compact-multi-select.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount } from '../../../lib/format.js';
import { usePermission } from '../../auth/api/get-me.js';
import { BulkActionBar, useCanRunBulkActions } from '../../bulk/components/bulk-action-bar.js';
import { customersLabel } from '../../bulk/components/bulk-target.js';
import { ExportButton } from '../../exports/components/export-button.js';
import { useCustomers, useExactCustomerCount } from '../api/get-customers.js';
import {
  type CustomerListFilters,
  countActiveFilters,
  filterKeys,
  parseListParams,
  toBulkFilter,
  toSearchParams,
} from '../customer-list-params.js';
import { ColumnChooser } from './column-chooser.js';
import { defaultHiddenColumns } from './customer-columns.js';
import { stageOptions, statusOptions } from './filter-options.js';
import { CustomerTable } from './customer-table.js';

const columnsStorageKey = 'crm.customer-list.hidden-columns';

// The full filter panel (with the date picker) loads when first opened.
const CustomerFiltersDrawer = lazy(() =>
  import('./customer-filters-drawer.js').then((m) => ({ default: m.CustomerFiltersDrawer })),
);

function EmptyState({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  return (
    <Stack align="center" gap="xs" py={48} w="100%">
      <IconUsers size={40} stroke={1.4} opacity={0.5} aria-hidden />
      <Text fw={600}>{filtered ? 'No customers match' : 'No customers yet'}</Text>
      <Text size="sm" c="dimmed">
        {filtered ? 'Try a different search or fewer filters.' : 'Create a customer or import a CSV file.'}
      </Text>
      {filtered ? (
        <Button variant="light" leftSection={<IconX size={16} />} onClick={onClear} mt="xs">
          Clear filters
        </Button>
      ) : null}
    </Stack>
  );
}

/** The customer list: search, filters and sort live in the URL; rows load page by page as you scroll. */
export function CustomerList() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = useMemo(() => parseListParams(params), [params]);
  const canWrite = usePermission('customers:write');
  const canImport = usePermission('customers:import');
  const [filtersOpened, filtersDrawer] = useDisclosure(false);
  const [filtersUsed, setFiltersUsed] = useState(false);
  const [hiddenColumns, setHiddenColumns] = useLocalStorage<string[]>({
    key: columnsStorageKey,
    defaultValue: defaultHiddenColumns,
    getInitialValueInEffect: false,
  });

  const update = useCallback(
    (patch: Partial<CustomerListFilters>) => {
      setParams((current) => toSearchParams({ ...parseListParams(current), ...patch }), { replace: true });
    },
    [setParams],
  );

  // The search box is local state, written to the URL after a pause in typing.
  const [search, setSearch] = useState(filters.q ?? '');
  const [debouncedSearch] = useDebouncedValue(search, 250);
  // Typing writes the URL after a pause; a URL change from elsewhere (back button, clear filters)
  // replaces the box's text. `written` tells the two apart.
  const written = useRef(filters.q);
  const latest = useRef({ q: filters.q, update });
  latest.current = { q: filters.q, update };
  useEffect(() => {
    // Runs only when the debounced text changes (not when the URL or `update` does).
    const q = debouncedSearch.trim() || undefined;
    if (q !== latest.current.q) {
      written.current = q;
      latest.current.update({ q });
    }
  }, [debouncedSearch]);
  useEffect(() => {
    if (filters.q !== written.current) {
      written.current = filters.q;
      setSearch(filters.q ?? '');
    }
  }, [filters.q]);

  const query = useCustomers(filters);
  const rows = useMemo<CustomerRow[]>(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const firstPage = query.data?.pages[0];
  const exactCount = useExactCustomerCount(filters, firstPage?.total_exact === false);
  const total = exactCount.data?.total ?? firstPage?.total;
  const totalIsFloor = firstPage?.total_exact === false && exactCount.data === undefined;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const onEndReached = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const activeFilters = countActiveFilters(filters);
  const filtered = activeFilters > 0 || !!filters.q || !!filters.query;

  // Selection: rows picked by hand, or "all matching" (every customer the filters match, loaded or
  // not, which the server resolves). A new search or filter starts a new selection.
  const canBulk = useCanRunBulkActions();
  const bulkFilter = useMemo(() => toBulkFilter(filters), [filters]);
  const filterKey = JSON.stringify(bulkFilter);
  const [selected, setSelected] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  const [selectionKey, setSelectionKey] = useState(filterKey);
  if (selectionKey !== filterKey) {
    setSelectionKey(filterKey);
    setSelected({});
    setAllMatching(false);
  }
  const selectedIds = useMemo(() => Object.keys(selected).filter((id) => selected[id]), [selected]);
  const tableSelection = useMemo(
    () => (allMatching ? Object.fromEntries(rows.map((r) => [r.id, true])) : selected),
    [allMatching, rows, selected],
  );
  const onSelectionChange = useCallback((next: RowSelectionState) => {
    setAllMatching(false);
    setSelected(next);
  }, []);
  const clearSelection = () => {
    setSelected({});
    setAllMatching(false);
  };
  const selectionCount = allMatching ? (total ?? 0) : selectedIds.length;
  const bulkSelection: BulkSelection = allMatching ? { filter: bulkFilter } : { ids: selectedIds };
  const canSelectAllMatching = filtered && !allMatching && total !== undefined && total > selectedIds.length;
  // Export: the selected rows when some are selected, otherwise what the list shows
  const picked = !allMatching && selectedIds.length > 0;
  const exportTarget: { selection: ExportSelection; scope: string } = picked
    ? { selection: { ids: selectedIds }, scope: `${customersLabel(selectedIds.length)} selected in the list` }
    : filtered
      ? {
          selection: { filter: bulkFilter },
          scope: `${total === undefined ? 'Customers' : `All ${customersLabel(total, totalIsFloor)}`} matching the list’s search and filters`,
        }
      : { selection: { all: true }, scope: 'All customers' };
  const clearFilters = () => {
    setSearch('');
    setParams(toSearchParams({ sort: filters.sort, order: filters.order }), { replace: true });
  };
  const onApplyDrawer = (draft: Partial<CustomerListFilters>) => {
    const cleared = Object.fromEntries(filterKeys.map((k) => [k, undefined]));
    update({ ...cleared, ...draft });
  };

  return (
    <Stack gap="sm" h="calc(100dvh - var(--app-shell-header-offset, 56px) - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={1} size="h2">
            Customers
          </Title>
          <Text size="sm" c="dimmed" aria-live="polite" mih={20}>
            {total === undefined
              ? '\u00a0'
              : `${formatCount(total)}${totalIsFloor ? '+' : ''} ${total === 1 ? 'customer' : 'customers'}`}
          </Text>
        </div>
        <Group gap="sm">
          <ExportButton
            label={picked ? `Export ${formatCount(selectedIds.length)} selected` : 'Export'}
            selection={exportTarget.selection}
            scope={exportTarget.scope}
          />
          {canImport ? (
            <Button
              component={Link}
              to="/customers/import"
              variant="default"
              leftSection={<IconFileImport size={16} />}
            >
              Import
            </Button>
          ) : null}
          {canWrite ? (
            <Button component={Link} to="/customers/new" leftSection={<IconPlus size={16} />}>
              New customer
            </Button>
          ) : null}
        </Group>
      </Group>

      <Group gap="sm" wrap="wrap" align="flex-end">
        <TextInput
          aria-label="Search customers"
          placeholder="Search name, email, phone…"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
          w={{ base: '100%', sm: 280 }}
        />
        <CompactMultiSelect
          aria-label="Status"
          placeholder={filters.status?.length ? undefined : 'Any status'}
          data={statusOptions}
          value={filters.status ?? []}
          onChange={(v) => update({ status: v.length ? (v as CustomerListFilters['status']) : undefined })}
          clearable
          w={{ base: '100%', sm: 200 }}
        />
        <CompactMultiSelect
          aria-label="Lifecycle stage"
          placeholder={filters.lifecycle_stage?.length ? undefined : 'Any stage'}
          data={stageOptions}
          value={filters.lifecycle_stage ?? []}
          onChange={(v) =>
            update({ lifecycle_stage: v.length ? (v as CustomerListFilters['lifecycle_stage']) : undefined })
          }
          clearable
          w={{ base: '100%', sm: 210 }}
        />
        <Button
          variant="default"
          leftSection={<IconFilter size={16} />}
          rightSection={
            activeFilters > 0 ? (
              <Badge size="sm" circle>
                {activeFilters}
              </Badge>
            ) : null
          }
          onClick={() => {
            setFiltersUsed(true);
            filtersDrawer.open();
          }}
        >
          Filters
        </Button>
        {filtered ? (
          <Button variant="subtle" leftSection={<IconX size={16} />} onClick={clearFilters}>
            Clear filters
          </Button>
        ) : null}
        <Group ml="auto">
          <ColumnChooser
            hidden={hiddenColumns}
            onChange={setHiddenColumns}
            onReset={() => setHiddenColumns(defaultHiddenColumns)}
          />
        </Group>
      </Group>

      {filters.query ? (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Matching
          </Text>
          <Badge
            variant="light"
            tt="none"
            size="lg"
            maw="100%"
            rightSection={
              <CloseButton
                size="xs"
                aria-label="Remove the criteria filter"
                onClick={() => update({ query: undefined })}
              />
            }
          >
            <Code bg="transparent">{filters.query}</Code>
          </Badge>
        </Group>
      ) : null}

      {canBulk && (selectedIds.length > 0 || allMatching) ? (
        <BulkActionBar
          target={{
            selection: bulkSelection,
            count: selectionCount,
            countIsFloor: allMatching && totalIsFloor,
          }}
          onClear={clearSelection}
          summary={
            <>
              <Text size="sm" fw={600} aria-live="polite">
                {allMatching
                  ? `All ${customersLabel(total ?? 0, totalIsFloor)} matching selected`
                  : `${formatCount(selectedIds.length)} selected`}
              </Text>
              {canSelectAllMatching ? (
                <Button variant="subtle" size="compact-sm" onClick={() => setAllMatching(true)}>
                  Select all {formatCount(total)}
                  {totalIsFloor ? '+' : ''} matching
                </Button>
              ) : null}
            </>
          }
        />
      ) : null}

      {query.isError && rows.length === 0 ? (
        <QueryError
          error={query.error}
          onRetry={() => void query.refetch()}
          title="Could not load customers"
        />
      ) : (
        <CustomerTable
          rows={rows}
          hiddenColumns={hiddenColumns}
          sort={filters.sort}
          order={filters.order}
          onSortChange={(sort: CustomerSortField, order) => update({ sort, order })}
          onOpen={(row) => navigate(`/customers/${row.id}`)}
          onEndReached={onEndReached}
          loading={query.isPending}
          loadingMore={isFetchingNextPage}
          empty={<EmptyState filtered={filtered} onClear={clearFilters} />}
          selection={canBulk ? { selected: tableSelection, onChange: onSelectionChange } : undefined}
        />
      )}

      {filtersUsed ? (
        <Suspense fallback={null}>
          <CustomerFiltersDrawer
            opened={filtersOpened}
            onClose={filtersDrawer.close}
            filters={filters}
            onApply={onApplyDrawer}
          />
        </Suspense>
      ) : null}
    </Stack>
  );
}
