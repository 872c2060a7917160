import { AnalyticsDashboard } from '../../features/analytics/components/analytics-dashboard.js';

export function AnalyticsPage() {
  return <AnalyticsDashboard />;
}
