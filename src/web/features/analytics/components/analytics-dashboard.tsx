import { Stack } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header.js';
import { type AnalyticsParams, parseAnalyticsParams, toAnalyticsSearchParams } from '../analytics-params.js';
import { AffinitySection } from './affinity-section.js';
import { ClvModelSection } from './clv-model-section.js';
import { OverviewSection } from './overview-section.js';
import { RetentionSection } from './retention-section.js';

/** Shop-wide analytics: KPIs, retention and churn, the customer-value model and product affinity. */
export function AnalyticsDashboard() {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseAnalyticsParams(search), [search]);
  const update = useCallback(
    (patch: Partial<AnalyticsParams>) =>
      setSearch((current) => toAnalyticsSearchParams({ ...parseAnalyticsParams(current), ...patch }), {
        replace: true,
      }),
    [setSearch],
  );

  return (
    <Stack gap="xl">
      <PageHeader
        title="Analytics"
        description="Revenue and customers over time, who comes back, who is slipping away, and what sells together."
      />
      <OverviewSection params={params} onChange={update} />
      <RetentionSection months={params.months} onMonthsChange={(months) => update({ months })} />
      <ClvModelSection />
      <AffinitySection params={params} onChange={update} />
    </Stack>
  );
}
