import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CustomerList } from '../../../../shared/customers.js';
import { StageBadge } from '../../../components/status-badge.js';
import { displayName, formatCount, formatMoney } from '../../../lib/format.js';
import { WorkCard, WorkEmpty } from './work-card.js';

/** Customers I own, most recently changed first, with the total I own. */
export function MyCustomersCard({ customers }: { customers: CustomerList }) {
  const total = `${formatCount(customers.total)}${customers.total_exact ? '' : '+'}`;
  return (
    <WorkCard
      title="My customers"
      count={total}
      link={{ to: '/customers?owner_id=me', label: 'All my customers' }}
    >
      {customers.data.length === 0 ? (
        <WorkEmpty>You do not own any customers yet.</WorkEmpty>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="My customers">
          {customers.data.map((customer) => (
            <Group key={customer.id} component="li" gap="sm" wrap="nowrap">
              <Anchor
                component={Link}
                to={`/customers/${customer.id}`}
                size="sm"
                fw={500}
                truncate
                style={{ flex: 1 }}
              >
                {displayName(customer)}
              </Anchor>
              <StageBadge stage={customer.lifecycle_stage} />
              <Text size="sm" ta="right" w={96} style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(customer.lifetime_value)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </WorkCard>
  );
}
