import { Badge, Button, Card, Group, Select, Skeleton, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconUserPlus } from '@tabler/icons-react';
import type { StaffUser } from '../../../../shared/auth.js';
import type { StaffRole } from '../../../../shared/enums.js';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { formatDate, formatRelative } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useMe } from '../../auth/api/get-me.js';
import { useUsers } from '../api/get-users.js';
import { useUpdateUser } from '../api/update-user.js';
import { CreateUserModal, roleOptions } from './create-user-modal.js';

function label(user: StaffUser) {
  return user.name ?? user.email;
}

/** Staff accounts: add, change role, disable or enable. Admins only. */
export function StaffUsers() {
  const users = useUsers();
  const { data: me } = useMe();
  const update = useUpdateUser();
  const [createOpened, createModal] = useDisclosure(false);

  const changeRole = (user: StaffUser, role: StaffRole) =>
    update.mutate(
      { id: user.id, patch: { role } },
      {
        onSuccess: (saved) => notifySuccess(`${label(saved)} is now ${saved.role}`, 'Role changed'),
        onError: (error) => notifyError(error, 'Could not change the role'),
      },
    );

  const toggleDisabled = (user: StaffUser) => {
    const disabling = !user.disabled;
    modals.openConfirmModal({
      title: disabling ? `Disable ${label(user)}?` : `Enable ${label(user)}?`,
      centered: true,
      children: (
        <Text size="sm">
          {disabling
            ? 'They are signed out and cannot sign in or use API tokens until enabled again.'
            : 'They can sign in again with their password.'}
        </Text>
      ),
      labels: { confirm: disabling ? 'Disable user' : 'Enable user', cancel: 'Cancel' },
      confirmProps: { color: disabling ? 'red.9' : undefined },
      onConfirm: () =>
        update.mutate(
          { id: user.id, patch: { disabled: disabling } },
          {
            onSuccess: (saved) => notifySuccess(`${label(saved)} ${saved.disabled ? 'disabled' : 'enabled'}`),
            onError: (error) => notifyError(error, 'Could not change the user'),
          },
        ),
    });
  };

  return (
    <>
      <PageHeader
        title="Staff"
        description="People who can sign in to the console and what their role lets them do."
        actions={
          <Button leftSection={<IconUserPlus size={16} />} onClick={createModal.open}>
            Add user
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {users.isPending ? (
          <Skeleton height={240} />
        ) : users.isError ? (
          <QueryError error={users.error} onRetry={() => void users.refetch()} title="Could not load staff" />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Staff users" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th w={170}>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last sign-in</Table.Th>
                  <Table.Th>Added</Table.Th>
                  <Table.Th ta="right">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.map((user) => {
                  const self = user.id === me?.id;
                  return (
                    <Table.Tr key={user.id}>
                      <Table.Td fw={600}>
                        {user.name ?? '—'}
                        {self ? (
                          <Text span size="xs" c="dimmed" ml={6}>
                            (you)
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>{user.email}</Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`Role of ${label(user)}`}
                          data={roleOptions}
                          value={user.role}
                          allowDeselect={false}
                          disabled={self}
                          size="xs"
                          onChange={(value) => {
                            if (value && value !== user.role) changeRole(user, value as StaffRole);
                          }}
                        />
                      </Table.Td>
                      <Table.Td>
                        {user.disabled ? (
                          <Badge color="gray">Disabled</Badge>
                        ) : (
                          <Badge color="green">Active</Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {user.last_sign_in_at ? formatRelative(user.last_sign_in_at) : 'Never'}
                      </Table.Td>
                      <Table.Td>{formatDate(user.created_at)}</Table.Td>
                      <Table.Td>
                        <Group justify="flex-end">
                          <Button
                            size="xs"
                            variant="light"
                            color={user.disabled ? undefined : 'red'}
                            disabled={self}
                            onClick={() => toggleDisabled(user)}
                            aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${label(user)}`}
                          >
                            {user.disabled ? 'Enable' : 'Disable'}
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <CreateUserModal opened={createOpened} onClose={createModal.close} />
    </>
  );
}
