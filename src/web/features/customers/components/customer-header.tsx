import { Badge, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconBuilding, IconUser } from '@tabler/icons-react';
import type { Customer } from '../../../../shared/customers.js';
import { StageBadge, StatusBadge } from '../../../components/status-badge.js';
import { displayName, formatCount, formatDate, formatMoney, formatRelative } from '../../../lib/format.js';
import { usePermission } from '../../auth/api/get-me.js';
import { CustomerTags } from '../../tags/components/customer-tags.js';
import { StageOverride } from './stage-override.js';

function Metric({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="lg" fw={700} mt={2}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

export function CustomerHeader({ customer }: { customer: Customer }) {
  const primaryEmail = customer.emails.find((e) => e.is_primary)?.email ?? customer.email;
  // an erased record stays anonymous: no new tags or stage changes on it
  const canTag = usePermission('customers:write') && !customer.erased_at;
  return (
    <Card withBorder padding="lg">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Group gap="sm" align="center">
              <Title order={1} size="h2">
                {customer.erased_at ? 'Erased customer' : displayName(customer)}
              </Title>
              {customer.erased_at ? (
                <Badge color="gray" variant="filled" size="md">
                  Erased
                </Badge>
              ) : null}
              <StatusBadge status={customer.customer_status} size="md" />
              <StageBadge stage={customer.lifecycle_stage} size="md" />
              <StageOverride customer={customer} canEdit={canTag} />
            </Group>
            <Group gap="md" c="dimmed">
              {customer.company ? (
                <Group gap={4}>
                  <IconBuilding size={14} aria-hidden />
                  <Text size="sm">{customer.company}</Text>
                </Group>
              ) : null}
              {primaryEmail ? <Text size="sm">{primaryEmail}</Text> : null}
              <Group gap={4}>
                <IconUser size={14} aria-hidden />
                <Text size="sm">
                  Owner: {customer.owner ? (customer.owner.name ?? customer.owner.email) : 'unassigned'}
                </Text>
              </Group>
            </Group>
            <CustomerTags customerId={customer.id} tags={customer.tags} canEdit={canTag} />
          </Stack>
          {customer.segments.length > 0 ? (
            <Group gap={6} maw={420} justify="flex-end">
              {customer.segments.map((segment) => (
                <Badge key={segment.id} variant="dot">
                  {segment.name}
                </Badge>
              ))}
            </Group>
          ) : null}
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
          <Metric label="Lifetime value" value={formatMoney(customer.lifetime_value)} />
          <Metric label="Orders" value={formatCount(customer.total_orders)} />
          <Metric label="Average order" value={formatMoney(customer.average_order_value)} />
          <Metric
            label="Last order"
            value={formatDate(customer.last_order_date)}
            hint={customer.last_order_date ? formatRelative(customer.last_order_date) : undefined}
          />
          <Metric label="Predicted value" value={formatMoney(customer.customer_value)} />
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
