import { useMemo } from 'react';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';

/** Active staff as Select options (name, or email when unnamed). */
export function useStaffOptions(enabled = true) {
  const staff = useStaffDirectory(enabled);
  return useMemo(
    () => (staff.data ?? []).map((s) => ({ value: s.id, label: s.name ?? s.email })),
    [staff.data],
  );
}
