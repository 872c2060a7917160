import { Badge, type BadgeProps } from '@mantine/core';
import { IconHandClick, IconRefresh } from '@tabler/icons-react';
import { formatCount } from '../../../lib/format.js';

/** "Automatic" (membership follows the criteria) or "Manual" (hand-picked members). */
export function SegmentTypeBadge({
  automatic,
  size = 'sm',
}: {
  automatic: boolean;
  size?: BadgeProps['size'];
}) {
  return automatic ? (
    <Badge color="teal" variant="light" size={size} leftSection={<IconRefresh size={12} aria-hidden />}>
      Automatic
    </Badge>
  ) : (
    <Badge color="gray" variant="light" size={size} leftSection={<IconHandClick size={12} aria-hidden />}>
      Manual
    </Badge>
  );
}

/** "1 customer", "1,234 customers". */
export const customerCount = (n: number) => `${formatCount(n)} ${n === 1 ? 'customer' : 'customers'}`;
