import { Group, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { CustomerRow, CustomerSortField } from '../../../../shared/customers.js';
import { StageBadge, StatusBadge } from '../../../components/status-badge.js';
import { displayName, formatCount, formatDate, formatMoney, humanize } from '../../../lib/format.js';
import { TagBadge } from '../../tags/components/tag-badge.js';

/** Tags shown in a row before the rest collapse into "+N". */
const maxRowTags = 3;
/** Room for badges in the Tags cell at its narrowest, and the widest one badge may take (px). */
const tagsBudget = 168;
const maxBadgeWidth = 96;
/** A small badge's width from its name (rows have no layout to measure): a guess, kept on the wide side. */
const badgeWidth = (name: string) => Math.min(maxBadgeWidth, 18 + name.length * 6.5);

/**
 * How many of the tags fit: up to three, fewer when their names are long (a badge too long for
 * its share truncates), always at least one.
 */
function fittingTags(tags: CustomerRow['tags']): number {
  let used = 0;
  let count = 0;
  for (const tag of tags.slice(0, maxRowTags)) {
    const plus = tags.length > count + 1 ? 28 : 0;
    const width = badgeWidth(tag.name) + (count > 0 ? 4 : 0);
    if (count > 0 && used + width + plus > tagsBudget) break;
    used += width;
    count += 1;
  }
  return count;
}

/** A row's tags, compact: the first few as badges, the rest as "+N" (named in its tooltip). */
function RowTags({ tags }: { tags: CustomerRow['tags'] }) {
  if (tags.length === 0)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  const count = fittingTags(tags);
  const shown = tags.slice(0, count);
  const rest = tags.slice(count);
  return (
    <Group gap={4} wrap="nowrap" w="100%" style={{ overflow: 'hidden' }}>
      {shown.map((tag) => (
        <TagBadge key={tag.id} tag={tag} size="sm" maw={maxBadgeWidth} />
      ))}
      {rest.length > 0 ? (
        <Tooltip label={rest.map((t) => t.name).join(', ')} withArrow>
          <Text
            size="xs"
            fw={600}
            c="dimmed"
            aria-label={`${rest.length} more: ${rest.map((t) => t.name).join(', ')}`}
          >
            +{rest.length}
          </Text>
        </Tooltip>
      ) : null}
    </Group>
  );
}

export interface CustomerColumn {
  id: string;
  label: string;
  /** Minimum width in px; cells grow to fill wider screens. */
  size: number;
  sortField?: CustomerSortField;
  /** Numbers sort high-to-low first and align right. */
  numeric?: boolean;
  /** The name column cannot be hidden. */
  required?: boolean;
  defaultVisible: boolean;
  cell: (row: CustomerRow) => ReactNode;
}

function dimmedIfEmpty(value: string | null): ReactNode {
  return value ? (
    <Text size="sm" truncate>
      {value}
    </Text>
  ) : (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}

export const customerColumns: CustomerColumn[] = [
  {
    id: 'name',
    label: 'Name',
    size: 165,
    sortField: 'last_name',
    required: true,
    defaultVisible: true,
    cell: (row) => (
      <Text size="sm" fw={600} truncate>
        {displayName(row)}
      </Text>
    ),
  },
  {
    id: 'email',
    label: 'Email',
    size: 180,
    sortField: 'email',
    defaultVisible: true,
    cell: (r) => dimmedIfEmpty(r.email),
  },
  { id: 'phone', label: 'Phone', size: 140, defaultVisible: false, cell: (r) => dimmedIfEmpty(r.phone) },
  {
    id: 'company',
    label: 'Company',
    size: 135,
    sortField: 'company',
    defaultVisible: true,
    cell: (r) => dimmedIfEmpty(r.company),
  },
  { id: 'country', label: 'Country', size: 90, defaultVisible: false, cell: (r) => dimmedIfEmpty(r.country) },
  {
    id: 'customer_status',
    label: 'Status',
    size: 100,
    defaultVisible: true,
    cell: (r) => <StatusBadge status={r.customer_status} />,
  },
  {
    id: 'lifecycle_stage',
    label: 'Stage',
    size: 112,
    defaultVisible: true,
    cell: (r) => <StageBadge stage={r.lifecycle_stage} />,
  },
  {
    id: 'tags',
    label: 'Tags',
    size: 180,
    defaultVisible: true,
    cell: (r) => <RowTags tags={r.tags} />,
  },
  {
    id: 'lifetime_value',
    label: 'Lifetime value',
    size: 140,
    sortField: 'lifetime_value',
    numeric: true,
    defaultVisible: true,
    cell: (r) => formatMoney(r.lifetime_value),
  },
  {
    id: 'total_orders',
    label: 'Orders',
    size: 90,
    sortField: 'total_orders',
    numeric: true,
    defaultVisible: true,
    cell: (r) => formatCount(r.total_orders),
  },
  {
    id: 'average_order_value',
    label: 'Avg. order',
    size: 130,
    sortField: 'average_order_value',
    numeric: true,
    defaultVisible: false,
    cell: (r) => formatMoney(r.average_order_value),
  },
  {
    id: 'customer_value',
    label: 'Predicted value',
    size: 150,
    sortField: 'customer_value',
    numeric: true,
    defaultVisible: false,
    cell: (r) => formatMoney(r.customer_value),
  },
  {
    id: 'last_order_date',
    label: 'Last order',
    size: 120,
    sortField: 'last_order_date',
    numeric: true,
    defaultVisible: true,
    cell: (r) => formatDate(r.last_order_date),
  },
  {
    id: 'acquisition_source',
    label: 'Source',
    size: 120,
    defaultVisible: false,
    cell: (r) => dimmedIfEmpty(r.acquisition_source ? humanize(r.acquisition_source) : null),
  },
  {
    id: 'owner',
    label: 'Owner',
    size: 140,
    defaultVisible: false,
    cell: (r) => dimmedIfEmpty(r.owner ? (r.owner.name ?? r.owner.email) : null),
  },
  {
    id: 'acquisition_date',
    label: 'Acquired',
    size: 120,
    sortField: 'acquisition_date',
    numeric: true,
    defaultVisible: false,
    cell: (r) => formatDate(r.acquisition_date),
  },
  {
    id: 'created_at',
    label: 'Created',
    size: 110,
    sortField: 'created_at',
    numeric: true,
    defaultVisible: true,
    cell: (r) => formatDate(r.created_at),
  },
];

export const customerColumnById = new Map(customerColumns.map((c) => [c.id, c]));

export const defaultHiddenColumns = customerColumns.filter((c) => !c.defaultVisible).map((c) => c.id);
