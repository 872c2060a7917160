import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on a narrow screen, reachable by keyboard (axe: a scrollable
 * region must be focusable) and named as a region after its table.
 */
export function ScrollTable({
  minWidth,
  label,
  children,
}: {
  minWidth: number;
  label: string;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={label}
      // visually hidden cell text is positioned absolutely: keep it inside the scrolling box, or
      // it widens the whole page on a narrow screen
      pos="relative"
    >
      {children}
    </Table.ScrollContainer>
  );
}
