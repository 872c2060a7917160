import { CommunicationsDashboard } from '../../features/communications/components/communications-dashboard.js';

export function CommunicationsPage() {
  return <CommunicationsDashboard />;
}
