import { ExportList } from '../../features/exports/components/export-list.js';

export function ExportsPage() {
  return <ExportList />;
}
