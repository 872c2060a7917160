import { Anchor, Badge, Button, Card, Group, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus, IconSend } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Campaign } from '../../../../shared/communications.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../../lib/format.js';
import { useCampaigns } from '../api/get-campaigns.js';
import { NewCampaignModal } from './new-campaign-modal.js';

const statusColors: Record<Campaign['status'], string> = {
  queued: 'gray',
  sending: 'blue',
  sent: 'green',
  failed: 'red.9',
};

export function CampaignStatusBadge({ status }: { status: Campaign['status'] }) {
  return (
    <Badge color={statusColors[status]} variant="light">
      {humanize(status)}
    </Badge>
  );
}

/** Skipped recipients, with why in a tooltip ("Unsubscribed: 2, No email: 1"). */
function Skipped({ campaign }: { campaign: Campaign }) {
  const reasons = Object.entries(campaign.skipped_by_reason).filter(([, n]) => n > 0);
  const count = <Text size="sm">{formatCount(campaign.skipped)}</Text>;
  if (campaign.skipped === 0 || reasons.length === 0) return count;
  const why = reasons.map(([reason, n]) => `${humanize(reason)}: ${formatCount(n)}`).join(', ');
  return (
    <Tooltip label={why} withArrow>
      <Text
        size="sm"
        td="underline"
        style={{ textDecorationStyle: 'dotted', cursor: 'help' }}
        aria-label={`${formatCount(campaign.skipped)} skipped: ${why}`}
        tabIndex={0}
      >
        {formatCount(campaign.skipped)}
      </Text>
    </Tooltip>
  );
}

function CampaignRow({ campaign }: { campaign: Campaign }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        {campaign.name}
      </Table.Th>
      <Table.Td>
        {campaign.segment.id ? (
          <Anchor component={Link} to={`/segments/${campaign.segment.id}`} size="sm">
            {campaign.segment.name}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {campaign.segment.name}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/communications/templates/${campaign.template.id}`} size="sm">
          {campaign.template.name} v{campaign.template.version}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <CampaignStatusBadge status={campaign.status} />
      </Table.Td>
      <Table.Td ta="right">{formatCount(campaign.recipients)}</Table.Td>
      <Table.Td ta="right">{formatCount(campaign.sent)}</Table.Td>
      <Table.Td ta="right">
        <Skipped campaign={campaign} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={formatDateTime(campaign.created_at)} style={{ whiteSpace: 'nowrap' }}>
          {formatRelative(campaign.created_at)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Campaigns, newest first, and (with `email:campaigns`) a new one to a segment. */
export function CampaignList({ canStart }: { canStart: boolean }) {
  const campaigns = useCampaigns();
  const [starting, modal] = useDisclosure(false);

  return (
    <Stack gap="md">
      {canStart ? (
        <Group justify="flex-end">
          <Button leftSection={<IconPlus size={16} />} onClick={modal.open}>
            New campaign
          </Button>
        </Group>
      ) : null}
      <Card withBorder padding={0}>
        {campaigns.isPending ? (
          <Stack p="md" gap="sm" role="status" aria-busy="true" aria-label="Loading campaigns">
            <Skeleton height={28} />
            <Skeleton height={28} />
            <Skeleton height={28} />
          </Stack>
        ) : campaigns.isError ? (
          <Stack p="md">
            <QueryError
              error={campaigns.error}
              title="Could not load the campaigns"
              onRetry={() => void campaigns.refetch()}
            />
          </Stack>
        ) : campaigns.data.length === 0 ? (
          <Stack align="center" gap="xs" py={48}>
            <IconSend size={40} stroke={1.4} opacity={0.5} aria-hidden />
            <Text fw={600}>No campaigns yet</Text>
            <Text size="sm" c="dimmed">
              A campaign sends one template to every member of a segment who may receive it.
            </Text>
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table aria-label="Campaigns" verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Segment</Table.Th>
                  <Table.Th scope="col">Template</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Recipients
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Sent
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Skipped
                  </Table.Th>
                  <Table.Th scope="col">Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {campaigns.data.map((c) => (
                  <CampaignRow key={c.id} campaign={c} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {canStart ? <NewCampaignModal opened={starting} onClose={modal.close} /> : null}
    </Stack>
  );
}
