import { ActionIcon, Anchor, Badge, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type { AuditEntry } from '../../../../shared/audit.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { actionLabel } from '../audit-params.js';
import { AuditDetails } from './audit-details.js';

const actionColors: Record<string, string> = {
  auth: 'gray',
  staff: 'indigo',
  export: 'blue',
  export_schedule: 'cyan',
  privacy: 'red',
};

const subjectLinks: Record<string, (id: string) => string> = {
  customer: (id) => `/customers/${id}`,
  export: () => '/exports',
  export_schedule: () => '/exports/schedules',
  staff_user: () => '/staff',
};

function Subject({ entry }: { entry: AuditEntry }) {
  if (!entry.subject_type) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const link = entry.subject_id ? subjectLinks[entry.subject_type]?.(entry.subject_id) : undefined;
  const id = entry.subject_id ? ` ${entry.subject_id.slice(0, 8)}` : '';
  const text = `${entry.subject_type.replaceAll('_', ' ')}${id}`;
  return link ? (
    <Anchor component={Link} to={link} size="sm" title={entry.subject_id ?? undefined}>
      {text}
    </Anchor>
  ) : (
    <Text size="sm" title={entry.subject_id ?? undefined}>
      {text}
    </Text>
  );
}

function Actor({ actor }: { actor: AuditEntry['actor'] }) {
  if (!actor || (!actor.name && !actor.email)) {
    return (
      <Text size="sm" c="dimmed">
        System
      </Text>
    );
  }
  return (
    <Text size="sm" title={actor.email ?? undefined}>
      {actor.name ?? actor.email}
    </Text>
  );
}

/** Audit entries, newest first; each row opens to show its details. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table aria-label="Audit log" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">Subject</Table.Th>
            <Table.Th scope="col">Address</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const expanded = open.has(entry.id);
            const label = `${actionLabel(entry.action)}, ${formatDateTime(entry.at)}`;
            return (
              <Fragment key={entry.id}>
                <Table.Tr>
                  <Table.Td>
                    <Tooltip label={expanded ? 'Hide details' : 'Show details'} withArrow>
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        aria-expanded={expanded}
                        aria-controls={`audit-details-${entry.id}`}
                        aria-label={`Details of ${label}`}
                        onClick={() => toggle(entry.id)}
                      >
                        {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }} title={formatRelative(entry.at)}>
                      {formatDateTime(entry.at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={actionColors[entry.action.split('.')[0] ?? ''] ?? 'gray'}
                      tt="none"
                      title={entry.action}
                    >
                      {actionLabel(entry.action)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Actor actor={entry.actor} />
                  </Table.Td>
                  <Table.Td>
                    <Subject entry={entry} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" c={entry.ip ? undefined : 'dimmed'}>
                      {entry.ip ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
                {expanded ? (
                  <Table.Tr id={`audit-details-${entry.id}`}>
                    <Table.Td />
                    <Table.Td colSpan={5} pb="md">
                      <AuditDetails details={entry.details} label={`Details of ${label}`} />
                    </Table.Td>
                  </Table.Tr>
                ) : null}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
