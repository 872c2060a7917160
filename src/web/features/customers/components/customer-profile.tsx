import { Anchor, Grid, Group, Skeleton, Stack } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link } from 'react-router';
import { QueryError } from '../../../components/query-error.js';
import { isApiError } from '../../../lib/api-client.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useCustomer } from '../api/get-customer.js';
import { CommunicationPreferencesCard } from '../../communications/components/communication-preferences-card.js';
import { CommunicationTracker } from '../../communications/components/communication-tracker.js';
import { ContactDetailsCard } from './contact-details-card.js';
import { CustomerHeader } from './customer-header.js';
import { useLiveCustomer } from '../../events/use-live-customer.js';
import { CustomerTimeline } from './customer-timeline.js';
import { OrderHistory } from './order-history.js';
import { ProfileFieldsCard } from './profile-fields-card.js';
import { ServiceTabs } from './service-tabs.js';
import { DataSubjectCard } from '../../privacy/components/data-subject-card.js';
import { ErasedBanner } from '../../privacy/components/erased-banner.js';
import { CustomerValueCard } from '../../analytics/components/customer-value-card.js';
import { OrderPatternsCard } from '../../analytics/components/order-patterns-card.js';
import { RecommendationsCard } from '../../analytics/components/recommendations-card.js';

function BackLink() {
  return (
    <Anchor component={Link} to="/customers" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden />
        Customers
      </Group>
    </Anchor>
  );
}

/** One customer: header with metrics, editable contact details and profile, orders and timeline. */
export function CustomerProfile({ id }: { id: string }) {
  const query = useCustomer(id);
  useLiveCustomer(id);
  const canEdit = usePermission('customers:write');

  if (query.isPending) {
    return (
      <Stack gap="md">
        <BackLink />
        <Skeleton height={180} radius="md" />
        <Grid>
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Skeleton height={320} radius="md" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Skeleton height={320} radius="md" />
          </Grid.Col>
        </Grid>
      </Stack>
    );
  }
  if (query.isError) {
    return (
      <Stack gap="md">
        <BackLink />
        <QueryError
          error={query.error}
          title={isApiError(query.error, 404) ? 'Customer not found' : 'Could not load the customer'}
          onRetry={isApiError(query.error, 404) ? undefined : () => void query.refetch()}
        />
      </Stack>
    );
  }

  const customer = query.data;
  // an erased record stays anonymous: no new contact details or profile data on it
  const editable = canEdit && !customer.erased_at;
  return (
    <Stack gap="md">
      <BackLink />
      {customer.erased_at ? <ErasedBanner erasedAt={customer.erased_at} /> : null}
      <CustomerHeader customer={customer} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <ContactDetailsCard key={`contact-${customer.version}`} customer={customer} canEdit={editable} />
            <ServiceTabs customerId={customer.id} />
            <CommunicationTracker customerId={customer.id} />
            <ProfileFieldsCard key={`profile-${customer.version}`} customer={customer} canEdit={editable} />
            <OrderPatternsCard customerId={customer.id} />
            <OrderHistory customerId={customer.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <CustomerValueCard customerId={customer.id} />
            <RecommendationsCard customerId={customer.id} />
            <CommunicationPreferencesCard customerId={customer.id} />
            <DataSubjectCard customer={customer} />
            <CustomerTimeline customerId={customer.id} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
