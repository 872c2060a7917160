import {
  Anchor,
  Group,
  List,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
} from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { CustomerPrediction } from '../../../../shared/analytics.js';
import { formatDate, formatMoney, formatRelative } from '../../../lib/format.js';
import { usePermission } from '../../auth/api/get-me.js';
import { formatDecimal, formatShare } from '../analytics-format.js';
import { analyticsKeys } from '../api/analytics-keys.js';
import { useClvModel } from '../api/get-clv-model.js';
import { useCustomerInsights } from '../api/get-customer-insights.js';
import { ChurnRiskBadge } from './churn-risk-badge.js';
import { ProfileCard, ProfileCardEmpty } from './profile-card.js';
import { useRefreshOnOrders } from './use-refresh-on-orders.js';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="lg" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

function Prediction({ prediction }: { prediction: CustomerPrediction }) {
  const canSeeAnalytics = usePermission('analytics:read');
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Predicted 12-month value
          </Text>
          <Text fz={28} fw={700} lh={1.2} data-testid="predicted-value">
            {formatMoney(prediction.predicted_value_12m)}
          </Text>
        </div>
        <ChurnRiskBadge risk={prediction.churn_risk} />
      </Group>
      <div>
        <Group justify="space-between" gap="xs">
          <Text size="sm">Probability still active</Text>
          <Text size="sm" fw={700} data-testid="p-alive">
            {formatShare(prediction.p_alive)}
          </Text>
        </Group>
        <Progress
          // a tenth of a percent: aria-valuenow must not be 5.2e-8
          value={Math.round(prediction.p_alive * 1000) / 10}
          color={
            prediction.churn_risk === 'low' ? 'teal' : prediction.churn_risk === 'medium' ? 'yellow' : 'red'
          }
          size="sm"
          mt={4}
          aria-label="Probability still active"
        />
      </div>
      <div>
        <Text size="sm" mb={4}>
          Expected purchases
        </Text>
        <SimpleGrid cols={2} spacing="xs">
          <Figure
            label="Next 90 days"
            value={formatDecimal(prediction.expected_purchases_90d)}
            testId="expected-90d"
          />
          <Figure
            label="Next 365 days"
            value={formatDecimal(prediction.expected_purchases_365d)}
            testId="expected-365d"
          />
        </SimpleGrid>
      </div>
      {prediction.expected_order_value !== null ? (
        <Text size="sm" c="dimmed">
          Expected spend per order: <b>{formatMoney(prediction.expected_order_value)}</b>
        </Text>
      ) : null}
      {prediction.reasons.length > 0 ? (
        <div>
          <Text size="sm" fw={600} mb={4}>
            Why
          </Text>
          <List
            size="sm"
            spacing={4}
            aria-label="Reasons"
            icon={
              <ThemeIcon size={18} radius="xl" variant="light" color="gray">
                <IconInfoCircle size={12} aria-hidden />
              </ThemeIcon>
            }
          >
            {prediction.reasons.map((reason) => (
              <List.Item key={reason}>{reason}</List.Item>
            ))}
          </List>
        </div>
      ) : null}
      <Text size="xs" c="dimmed">
        From the model fitted {formatRelative(prediction.model_fitted_at)} (
        {formatDate(prediction.model_fitted_at)})
        {canSeeAnalytics ? (
          <>
            {' · '}
            <Anchor component={Link} to="/analytics" size="xs" underline="always">
              Model details
            </Anchor>
          </>
        ) : null}
      </Text>
    </Stack>
  );
}

function NotScored() {
  const canSeeAnalytics = usePermission('analytics:read');
  const canManage = usePermission('analytics:manage');
  const model = useClvModel();
  if (canSeeAnalytics && model.isPending) return <Skeleton height={40} />;
  const noModel = canSeeAnalytics && model.isSuccess && model.data === null;
  const link = canManage ? (
    <Anchor component={Link} to="/analytics" size="sm" underline="always">
      {noModel ? 'Fit it on the Analytics page' : 'Refit it on the Analytics page'}
    </Anchor>
  ) : null;
  if (noModel) {
    return (
      <ProfileCardEmpty title="No model fitted yet">
        Predicted value and churn risk come from the customer-value model, once it is fitted. {link}
      </ProfileCardEmpty>
    );
  }
  return (
    <ProfileCardEmpty title="Not scored yet">
      This customer ordered after the model was last fitted; the next fit scores them. {link}
    </ProfileCardEmpty>
  );
}

/** Predicted 12-month value, chance still active, churn risk, expected purchases, and why. */
export function CustomerValueCard({ customerId }: { customerId: string }) {
  const insights = useCustomerInsights(customerId);
  // the Order patterns card reads the same query: this one refresh serves both
  useRefreshOnOrders(customerId, analyticsKeys.insights(customerId));
  return (
    <ProfileCard
      id="customer-value-title"
      title="Value and churn"
      query={insights}
      errorTitle="Could not load the prediction"
    >
      {() =>
        insights.data?.orders === 0 ? (
          <ProfileCardEmpty title="No orders yet">
            Value and churn risk are predicted from a customer's orders; this customer has none.
          </ProfileCardEmpty>
        ) : insights.data?.prediction ? (
          <Prediction prediction={insights.data.prediction} />
        ) : (
          <NotScored />
        )
      }
    </ProfileCard>
  );
}
