import { StaffUsers } from '../../features/staff/components/staff-users.js';

export function StaffPage() {
  return <StaffUsers />;
}
