import { Text, ThemeIcon, Timeline, type TimelineItemProps } from '@mantine/core';
import { IconEdit } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { TimelineEvent } from '../../shared/customers.js';
import { TimelineDetail } from './timeline-detail.js';
import { timelineKindIcons } from './timeline-kinds.js';

/**
 * One timeline event: its kind's icon, the summary, what it says beyond that, then `meta` (who
 * and when, and where the feed needs it, which customer). The customer timeline and the team feed
 * both show events so. Mantine's Timeline passes its item props through `rest`.
 */
export function TimelineEntry({
  event,
  meta,
  ...rest
}: { event: TimelineEvent; meta: ReactNode } & Omit<TimelineItemProps, 'title' | 'bullet'>) {
  return (
    <Timeline.Item
      {...rest}
      bullet={
        <ThemeIcon size={26} radius="xl" variant="light">
          {timelineKindIcons[event.kind] ?? <IconEdit size={14} />}
        </ThemeIcon>
      }
      title={
        <Text size="sm" fw={600}>
          {event.summary}
        </Text>
      }
    >
      <TimelineDetail event={event} />
      <Text size="xs" c="dimmed">
        {meta}
      </Text>
    </Timeline.Item>
  );
}
