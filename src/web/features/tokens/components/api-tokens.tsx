import { Badge, Button, Card, Group, Skeleton, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconKey, IconPlus } from '@tabler/icons-react';
import type { ApiToken } from '../../../../shared/auth.js';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { formatDate, formatRelative } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useRevokeToken } from '../api/revoke-token.js';
import { useTokens } from '../api/get-tokens.js';
import { CreateTokenModal } from './create-token-modal.js';

function tokenState(token: ApiToken): { label: string; color: string } {
  if (token.revoked_at) return { label: 'Revoked', color: 'gray' };
  if (token.expires_at && new Date(token.expires_at) < new Date())
    return { label: 'Expired', color: 'orange' };
  return { label: 'Active', color: 'green' };
}

/** Personal API tokens for scripts and integrations. */
export function ApiTokens() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [createOpened, createModal] = useDisclosure(false);

  const confirmRevoke = (token: ApiToken) =>
    modals.openConfirmModal({
      title: `Revoke “${token.name}”?`,
      centered: true,
      children: (
        <Text size="sm">Anything using this token stops working at once. This cannot be undone.</Text>
      ),
      labels: { confirm: 'Revoke token', cancel: 'Cancel' },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        revoke.mutate(token.id, {
          onSuccess: () => notifySuccess(`“${token.name}” revoked`),
          onError: (error) => notifyError(error, 'Could not revoke the token'),
        }),
    });

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens act as you, with your role's permissions. Send them as a Bearer token."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
            New token
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {tokens.isPending ? (
          <Skeleton height={200} />
        ) : tokens.isError ? (
          <QueryError
            error={tokens.error}
            onRetry={() => void tokens.refetch()}
            title="Could not load tokens"
          />
        ) : tokens.data.length === 0 ? (
          <Group justify="center" py={48} gap="sm">
            <IconKey size={24} opacity={0.5} aria-hidden />
            <Text c="dimmed">No tokens yet.</Text>
          </Group>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="API tokens">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Token</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th ta="right">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.map((token) => {
                  const state = tokenState(token);
                  return (
                    <Table.Tr key={token.id}>
                      <Table.Td fw={600}>{token.name}</Table.Td>
                      <Table.Td ff="monospace">{token.prefix}…</Table.Td>
                      <Table.Td>
                        <Badge color={state.color}>{state.label}</Badge>
                      </Table.Td>
                      <Table.Td>{formatDate(token.created_at)}</Table.Td>
                      <Table.Td>{token.expires_at ? formatDate(token.expires_at) : 'Never'}</Table.Td>
                      <Table.Td>{token.last_used_at ? formatRelative(token.last_used_at) : 'Never'}</Table.Td>
                      <Table.Td>
                        <Group justify="flex-end">
                          {token.revoked_at ? null : (
                            <Button
                              size="xs"
                              variant="light"
                              color="red"
                              onClick={() => confirmRevoke(token)}
                              aria-label={`Revoke ${token.name}`}
                            >
                              Revoke
                            </Button>
                          )}
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
      <CreateTokenModal opened={createOpened} onClose={createModal.close} />
    </>
  );
}
