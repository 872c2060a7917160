import { Box, Checkbox, Group, Skeleton, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type RowSelectionState,
  type Updater,
  useReactTable,
  type VisibilityState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { CustomerRow, CustomerSortField } from '../../../../shared/customers.js';
import { displayName } from '../../../lib/format.js';
import { type CustomerColumn, customerColumnById, customerColumns } from './customer-columns.js';

export const customerRowHeight = 44;
const emptySelection: RowSelectionState = {};
const headerHeight = 40;

const columnDefs: ColumnDef<CustomerRow>[] = customerColumns.map((column) => ({
  id: column.id,
  header: column.label,
  size: column.size,
  cell: ({ row }) => column.cell(row.original),
}));

// Clicks and keys on a checkbox select; they must not also open the row.
const stop = (event: { stopPropagation(): void }) => event.stopPropagation();

/** The checkbox column (not a chooser column): the header one selects every loaded row. */
const selectColumn: ColumnDef<CustomerRow> = {
  id: 'select',
  size: 44,
  header: ({ table }) => (
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops the click reaching the row
    <div onClick={stop} onKeyDown={stop} style={{ display: 'flex' }}>
      <Checkbox
        aria-label="Select all loaded customers"
        checked={table.getIsAllRowsSelected()}
        indeterminate={table.getIsSomeRowsSelected()}
        disabled={table.getRowModel().rows.length === 0}
        onChange={table.getToggleAllRowsSelectedHandler()}
      />
    </div>
  ),
  cell: ({ row }) => (
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops the click reaching the row
    <div onClick={stop} onKeyDown={stop} style={{ display: 'flex' }}>
      <Checkbox
        aria-label={`Select ${displayName(row.original)}`}
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
        tabIndex={-1}
      />
    </div>
  ),
};
const selectableColumnDefs = [selectColumn, ...columnDefs];

export interface CustomerTableSelection {
  /** Selected rows by customer id. */
  selected: RowSelectionState;
  onChange: (selected: RowSelectionState) => void;
}

export interface CustomerTableProps {
  rows: CustomerRow[];
  hiddenColumns: readonly string[];
  sort: CustomerSortField;
  order: 'asc' | 'desc';
  onSortChange: (sort: CustomerSortField, order: 'asc' | 'desc') => void;
  onOpen: (row: CustomerRow) => void;
  /** Called when the last rows come into view. */
  onEndReached: () => void;
  loading: boolean;
  loadingMore: boolean;
  /** Shown instead of rows when the list is empty. */
  empty: ReactNode;
  /** Row checkboxes (left out for users who cannot act on a selection). */
  selection?: CustomerTableSelection;
}

function SortIcon({ active, order }: { active: boolean; order: 'asc' | 'desc' }) {
  if (!active) return <IconArrowsSort size={14} opacity={0.45} aria-hidden />;
  return order === 'asc' ? <IconArrowUp size={14} aria-hidden /> : <IconArrowDown size={14} aria-hidden />;
}

function cellStyle(column: CustomerColumn | undefined, size: number) {
  return {
    display: 'flex',
    alignItems: 'center',
    flex: `1 0 ${size}px`,
    minWidth: size,
    overflow: 'hidden',
    justifyContent: column?.numeric ? 'flex-end' : 'flex-start',
    textAlign: column?.numeric ? ('right' as const) : ('left' as const),
    whiteSpace: 'nowrap' as const,
  };
}

/**
 * The customer list as a virtualised grid: fixed row height, only visible rows in the DOM,
 * one tab stop (arrow keys move between rows, Enter opens).
 */
export function CustomerTable(props: CustomerTableProps) {
  const {
    rows,
    hiddenColumns,
    sort,
    order,
    onSortChange,
    onOpen,
    onEndReached,
    loading,
    loadingMore,
    empty,
    selection,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);

  const columnVisibility = useMemo<VisibilityState>(
    () => Object.fromEntries(hiddenColumns.map((id) => [id, false])),
    [hiddenColumns],
  );
  const rowSelection = selection?.selected ?? emptySelection;
  const onSelectionChange = selection?.onChange;
  const table = useReactTable({
    data: rows,
    columns: selection ? selectableColumnDefs : columnDefs,
    state: { columnVisibility, rowSelection },
    enableRowSelection: !!selection,
    onRowSelectionChange: (updater: Updater<RowSelectionState>) =>
      onSelectionChange?.(typeof updater === 'function' ? updater(rowSelection) : updater),
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualSorting: true,
  });
  const tableRows = table.getRowModel().rows;
  const minWidth = table.getVisibleLeafColumns().reduce((sum, c) => sum + c.getSize(), 0);

  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => customerRowHeight,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastVisible = virtualRows.at(-1)?.index ?? -1;

  useEffect(() => {
    if (lastVisible >= tableRows.length - 20 && tableRows.length > 0) onEndReached();
  }, [lastVisible, tableRows.length, onEndReached]);

  // A new query (filters, sort) starts at the top.
  useEffect(() => {
    if (rows.length === 0) setActiveIndex(0);
  }, [rows.length]);

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(tableRows.length - 1, index));
    setActiveIndex(target);
    virtualizer.scrollToIndex(target, { align: 'auto' });
    requestAnimationFrame(() => {
      scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${target}"]`)?.focus();
    });
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number, row: CustomerRow) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / customerRowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: tableRows.length - 1,
    };
    if (event.key === ' ' && selection) {
      // Space selects when rows can be selected; Enter opens.
      event.preventDefault();
      table.getRow(row.id).toggleSelected();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(row);
    } else if (event.key in moves) {
      event.preventDefault();
      focusRow(moves[event.key] ?? index);
    }
  };

  const sortBy = (column: CustomerColumn) => {
    if (!column.sortField) return;
    if (column.sortField === sort) onSortChange(sort, order === 'asc' ? 'desc' : 'asc');
    else onSortChange(column.sortField, column.numeric ? 'desc' : 'asc');
  };

  const showSkeleton = loading && rows.length === 0;
  const showEmpty = !loading && rows.length === 0;
  const skeletonCount = 14;
  const bodyHeight = showSkeleton ? skeletonCount * customerRowHeight : virtualizer.getTotalSize();

  return (
    <Box
      ref={scrollRef}
      style={{
        overflow: 'auto',
        position: 'relative',
        flex: 1,
        minHeight: 240,
        border: '1px solid var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-md)',
      }}
    >
      <Table
        aria-label="Customers"
        aria-rowcount={showSkeleton || showEmpty ? undefined : tableRows.length + 1}
        verticalSpacing={0}
        style={{ display: 'grid', minWidth, width: '100%' }}
      >
        <Table.Thead
          style={{
            display: 'grid',
            position: 'sticky',
            top: 0,
            zIndex: 2,
            background: 'var(--mantine-color-body)',
          }}
        >
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id} style={{ display: 'flex', width: '100%', height: headerHeight }}>
              {group.headers.map((header) => {
                const column = customerColumnById.get(header.column.id);
                const active = !!column?.sortField && column.sortField === sort;
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
                    style={cellStyle(column, header.getSize())}
                  >
                    {column?.sortField ? (
                      <UnstyledButton
                        onClick={() => column && sortBy(column)}
                        style={{ fontWeight: 700, fontSize: 'var(--mantine-font-size-sm)' }}
                      >
                        <Group gap={4} wrap="nowrap">
                          <span>{label}</span>
                          <SortIcon active={active} order={order} />
                        </Group>
                      </UnstyledButton>
                    ) : (
                      label
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody
          style={{ display: 'grid', position: 'relative', height: showEmpty ? undefined : bodyHeight }}
        >
          {showSkeleton
            ? Array.from({ length: skeletonCount }, (_, i) => (
                <Table.Tr
                  // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
                  key={i}
                  aria-hidden
                  style={{
                    display: 'flex',
                    width: '100%',
                    height: customerRowHeight,
                    position: 'absolute',
                    top: i * customerRowHeight,
                  }}
                >
                  {table.getVisibleLeafColumns().map((c) => (
                    <Table.Td key={c.id} style={cellStyle(customerColumnById.get(c.id), c.getSize())}>
                      <Skeleton height={12} width="70%" radius="sm" />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            : null}
          {showEmpty ? (
            <Table.Tr style={{ display: 'flex', width: '100%' }}>
              <Table.Td style={{ flex: 1 }} colSpan={table.getVisibleLeafColumns().length}>
                {empty}
              </Table.Td>
            </Table.Tr>
          ) : null}
          {!showSkeleton &&
            virtualRows.map((virtualRow) => {
              const row = tableRows[virtualRow.index];
              if (!row) return null;
              return (
                <Table.Tr
                  key={row.id}
                  data-index={virtualRow.index}
                  data-testid="customer-row"
                  data-selected={row.getIsSelected() || undefined}
                  aria-rowindex={virtualRow.index + 2}
                  tabIndex={virtualRow.index === activeIndex ? 0 : -1}
                  className="crm-focus-row crm-clickable-row"
                  onClick={() => onOpen(row.original)}
                  onFocus={() => setActiveIndex(virtualRow.index)}
                  onKeyDown={(event) => onRowKeyDown(event, virtualRow.index, row.original)}
                  style={{
                    display: 'flex',
                    position: 'absolute',
                    width: '100%',
                    height: customerRowHeight,
                    transform: `translateY(${virtualRow.start}px)`,
                    background: row.getIsSelected() ? 'var(--mantine-primary-color-light)' : undefined,
                  }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <Table.Td
                      key={cell.id}
                      data-column={cell.column.id}
                      style={cellStyle(customerColumnById.get(cell.column.id), cell.column.getSize())}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
        </Table.Tbody>
      </Table>
      {loadingMore ? (
        <Text size="xs" c="dimmed" ta="center" py={6} role="status">
          Loading more…
        </Text>
      ) : null}
    </Box>
  );
}
