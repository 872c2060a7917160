/** The communications page: analytics, campaigns and templates (placeholder until built). */
export function CommunicationsDashboard() {
  return null;
}
