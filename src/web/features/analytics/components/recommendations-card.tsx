import { Badge, Group, type MantineColor, Stack, Text } from '@mantine/core';
import type { Recommendations } from '../../../../shared/analytics.js';
import { formatMoney } from '../../../lib/format.js';
import { analyticsKeys } from '../api/analytics-keys.js';
import { useCustomerRecommendations } from '../api/get-customer-recommendations.js';
import { ProfileCard, ProfileCardEmpty } from './profile-card.js';
import { useRefreshOnOrders } from './use-refresh-on-orders.js';

type Kind = Recommendations['data'][number]['kind'];

const kinds: Record<Kind, { label: string; color: MantineColor }> = {
  cross_sell: { label: 'Cross-sell', color: 'indigo' },
  upsell: { label: 'Upsell', color: 'grape' },
  popular: { label: 'Popular', color: 'gray' },
};

/** Products this customer has not bought yet, each with why it is suggested. */
export function RecommendationsCard({ customerId }: { customerId: string }) {
  const recommendations = useCustomerRecommendations(customerId);
  useRefreshOnOrders(customerId, analyticsKeys.recommendations(customerId));
  return (
    <ProfileCard
      id="recommendations-title"
      title="Recommended products"
      query={recommendations}
      errorTitle="Could not load recommendations"
    >
      {() =>
        !recommendations.data || recommendations.data.data.length === 0 ? (
          <ProfileCardEmpty title="Nothing to recommend yet">
            Suggestions come from what other customers buy together and from this customer's orders.
          </ProfileCardEmpty>
        ) : (
          <Stack
            gap={0}
            component="ul"
            m={0}
            p={0}
            style={{ listStyle: 'none' }}
            aria-label="Recommended products"
          >
            {recommendations.data.data.map((r, i) => (
              <Stack
                key={r.product_id}
                component="li"
                gap={2}
                py="xs"
                style={i > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
                data-product={r.sku}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                  <Text size="sm" fw={600}>
                    {r.name}
                  </Text>
                  <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(r.price)}
                  </Text>
                </Group>
                <Group gap={6} wrap="wrap">
                  <Badge size="xs" color={kinds[r.kind].color} variant="light">
                    {kinds[r.kind].label}
                  </Badge>
                  {r.category ? (
                    <Text size="xs" c="dimmed">
                      {r.category}
                    </Text>
                  ) : null}
                  <Text size="xs" c="dimmed" ff="monospace">
                    {r.sku}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {r.reason}
                </Text>
              </Stack>
            ))}
          </Stack>
        )
      }
    </ProfileCard>
  );
}
