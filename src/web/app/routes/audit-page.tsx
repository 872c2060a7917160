import { AuditLog } from '../../features/audit/components/audit-log.js';

export function AuditPage() {
  return <AuditLog />;
}
