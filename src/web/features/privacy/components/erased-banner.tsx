import { Alert } from '@mantine/core';
import { IconUserOff } from '@tabler/icons-react';
import { formatDateTime } from '../../../lib/format.js';

/** Shown on an erased customer's profile: why it is empty, and what was kept. */
export function ErasedBanner({ erasedAt }: { erasedAt: string }) {
  return (
    <Alert color="gray" variant="light" icon={<IconUserOff size={18} />} title="Personal data erased">
      This customer’s personal data was erased on {formatDateTime(erasedAt)} at their request. Orders and
      their amounts are kept for accounting; names, contact details and messages are gone for good.
    </Alert>
  );
}
