import { List, Text } from '@mantine/core';
import type { TimelineEvent } from '../../shared/customers.js';
import { formatDateTime, humanize } from '../lib/format.js';

type Change = { before?: unknown; after?: unknown; from?: unknown; to?: unknown };

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id says nothing to a reader; a change between ids (an owner without names) is left to the summary. */
const isId = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && uuid.test(v));

/** A changed value in words: dates formatted, lists joined, objects summarised, nothing as "none". */
function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (typeof value === 'string') return isoDate.test(value) ? formatDateTime(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map((v) =>
      v && typeof v === 'object' ? Object.values(v as Record<string, unknown>).filter(Boolean)[0] : v,
    );
    return items.length ? items.map((v) => shown(v)).join(', ') : 'none';
  }
  return 'changed';
}

/** Before and after of each changed field, as the server recorded them (`{before, after}` or `{from, to}`). */
function changeRows(event: TimelineEvent): { field: string; before: string; after: string }[] {
  const changes = event.data.changes;
  if (!changes || typeof changes !== 'object') return [];
  // a ticket's assignee is recorded by id; its names ride along for reading
  const names = event.data.assignee_names as Change | undefined;
  return Object.entries(changes as Record<string, Change>).flatMap(([field, c]) => {
    const pair = field === 'assignee' && names ? names : c;
    const before = 'before' in pair ? pair.before : pair.from;
    const after = 'after' in pair ? pair.after : pair.to;
    if (isId(before) && isId(after)) return [];
    return [{ field: humanize(field), before: shown(before), after: shown(after) }];
  });
}

/** What an event says beyond its summary: the text's first words, or what changed from what to what. */
export function TimelineDetail({ event }: { event: TimelineEvent }) {
  const rows = changeRows(event).slice(0, 6);
  const snippet = typeof event.data.snippet === 'string' ? event.data.snippet : null;
  if (rows.length === 0 && !snippet) return null;
  return (
    <>
      {snippet ? (
        <Text size="sm" lineClamp={2} mt={2}>
          {snippet}
        </Text>
      ) : null}
      {rows.length > 0 ? (
        <List size="xs" mt={2} spacing={0} listStyleType="none" aria-label="Changes">
          {rows.map((r) => (
            <List.Item key={r.field}>
              <Text span size="xs" fw={600}>
                {r.field}:
              </Text>{' '}
              <Text span size="xs" c="dimmed" td="line-through">
                {r.before}
              </Text>{' '}
              →{' '}
              <Text span size="xs">
                {r.after}
              </Text>
            </List.Item>
          ))}
        </List>
      ) : null}
    </>
  );
}
