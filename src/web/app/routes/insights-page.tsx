import { Insights } from '../../features/insights/components/insights.js';

export function InsightsPage() {
  return <Insights />;
}
