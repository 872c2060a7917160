import { ExportSchedules } from '../../features/exports/components/export-schedules.js';

export function ExportSchedulesPage() {
  return <ExportSchedules />;
}
