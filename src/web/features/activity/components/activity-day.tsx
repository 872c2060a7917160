import { Anchor, Timeline, Title, Tooltip } from '@mantine/core';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import type { ActivityEvent } from '../api/get-activity.js';
import { TimelineEntry } from '../../../components/timeline-entry.js';

/** "Today", "Yesterday" or the date, for a day separator. */
export function dayLabel(day: string, now = dayjs()): string {
  const d = dayjs(day);
  if (d.isSame(now, 'day')) return 'Today';
  if (d.isSame(now.subtract(1, 'day'), 'day')) return 'Yesterday';
  return d.format(d.isSame(now, 'year') ? 'dddd, D MMMM' : 'dddd, D MMMM YYYY');
}

/** Events in order, cut into runs of the same local day. */
export function groupByDay(events: readonly ActivityEvent[]): { day: string; events: ActivityEvent[] }[] {
  const days: { day: string; events: ActivityEvent[] }[] = [];
  for (const event of events) {
    const day = dayjs(event.occurred_at).format('YYYY-MM-DD');
    const current = days.at(-1);
    if (current?.day === day) current.events.push(event);
    else days.push({ day, events: [event] });
  }
  return days;
}

/** One day of the feed: a heading and its events on a timeline. */
export function ActivityDay({ day, events }: { day: string; events: ActivityEvent[] }) {
  const headingId = `activity-day-${day}`;
  return (
    <section aria-labelledby={headingId}>
      <Title order={2} size="h6" c="dimmed" tt="uppercase" mb="sm" id={headingId}>
        {dayLabel(day)}
      </Title>
      <Timeline bulletSize={26} lineWidth={2} active={-1} mb="lg">
        {events.map((event) => (
          <TimelineEntry
            key={event.id}
            event={event}
            meta={
              <>
                {event.actor ? `${event.actor.name ?? 'A staff member'} · ` : 'Automatic · '}
                <Anchor component={Link} to={`/customers/${event.customer.id}`} size="xs" underline="always">
                  {event.customer.name ?? 'Unnamed customer'}
                </Anchor>
                {' · '}
                <Tooltip label={formatDateTime(event.occurred_at)}>
                  <time dateTime={event.occurred_at}>{formatRelative(event.occurred_at)}</time>
                </Tooltip>
              </>
            }
          />
        ))}
      </Timeline>
    </section>
  );
}
