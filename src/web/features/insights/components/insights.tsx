import { Stack } from '@mantine/core';
import { PageHeader } from '../../../components/page-header.js';
import { LifecycleOverviewSection } from './lifecycle-overview.js';
import { RfmOverviewSection } from './rfm-overview.js';

/** Insights: lifecycle stages and their movements, and RFM groups with the recency × frequency grid. */
export function Insights() {
  return (
    <Stack gap="xl">
      <PageHeader title="Insights" description="Where customers stand, how they move, and who buys best." />
      <LifecycleOverviewSection />
      <RfmOverviewSection />
    </Stack>
  );
}
