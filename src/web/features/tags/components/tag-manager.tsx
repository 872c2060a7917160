import { Button, Card, ColorSwatch, Group, Skeleton, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Tag } from '../../../../shared/tags.js';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatDate } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useDeleteTag } from '../api/delete-tag.js';
import { useTags } from '../api/get-tags.js';
import { TagBadge } from './tag-badge.js';
import { TagFormModal } from './tag-form-modal.js';

const customers = (n: number) => `${formatCount(n)} ${n === 1 ? 'customer' : 'customers'}`;

/** Every tag with its colour, description and customer count; managers create, edit and delete. */
export function TagManager() {
  const tags = useTags();
  const canManage = usePermission('tags:manage');
  const remove = useDeleteTag();
  // undefined: closed; null: creating; a tag: editing it
  const [editing, setEditing] = useState<Tag | null | undefined>(undefined);

  const confirmDelete = (tag: Tag) =>
    modals.openConfirmModal({
      title: `Delete tag ${tag.name}?`,
      centered: true,
      children: (
        <Text size="sm">
          {tag.customer_count > 0
            ? `${customers(tag.customer_count)} will lose this tag. Their timelines keep a record of it.`
            : 'No customer has this tag.'}
        </Text>
      ),
      labels: { confirm: 'Delete tag', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(tag.id, {
          onSuccess: (deleted) =>
            notifySuccess(
              deleted.customer_count > 0
                ? `Tag ${deleted.name} deleted; removed from ${customers(deleted.customer_count)}`
                : `Tag ${deleted.name} deleted`,
            ),
          onError: (error) => notifyError(error, 'Could not delete the tag'),
        }),
    });

  return (
    <>
      <PageHeader
        title="Tags"
        description="Labels for customers: add them on a profile, filter and segment by them."
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(null)}>
              New tag
            </Button>
          ) : null
        }
      />
      <Card withBorder padding={0}>
        {tags.isPending ? (
          <Skeleton height={240} />
        ) : tags.isError ? (
          <QueryError error={tags.error} onRetry={() => void tags.refetch()} title="Could not load tags" />
        ) : tags.data.length === 0 ? (
          <Text c="dimmed" ta="center" p="xl">
            No tags yet.{canManage ? ' Create one to start labelling customers.' : ''}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Tags" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Tag</Table.Th>
                  <Table.Th>Colour</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th ta="right">Customers</Table.Th>
                  <Table.Th>Created</Table.Th>
                  {canManage ? <Table.Th ta="right">Actions</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tags.data.map((tag) => (
                  <Table.Tr key={tag.id}>
                    <Table.Td>
                      <TagBadge tag={tag} size="md" />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <ColorSwatch color={tag.color} size={16} aria-hidden />
                        <Text size="sm" ff="monospace">
                          {tag.color}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={tag.description ? undefined : 'dimmed'} lineClamp={2}>
                        {tag.description ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(tag.customer_count)}</Table.Td>
                    <Table.Td>{formatDate(tag.created_at)}</Table.Td>
                    {canManage ? (
                      <Table.Td>
                        <Group justify="flex-end" gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="light"
                            leftSection={<IconEdit size={14} />}
                            onClick={() => setEditing(tag)}
                            aria-label={`Edit tag ${tag.name}`}
                          >
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            variant="light"
                            color="red"
                            leftSection={<IconTrash size={14} />}
                            onClick={() => confirmDelete(tag)}
                            aria-label={`Delete tag ${tag.name}`}
                          >
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {canManage ? (
        <TagFormModal
          key={editing?.id ?? 'new'}
          opened={editing !== undefined}
          onClose={() => setEditing(undefined)}
          tag={editing ?? undefined}
        />
      ) : null}
    </>
  );
}
