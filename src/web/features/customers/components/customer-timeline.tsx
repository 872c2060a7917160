import {
  Button,
  Card,
  Group,
  Select,
  Skeleton,
  Text,
  ThemeIcon,
  Timeline,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconChecklist,
  IconCircleCheck,
  IconEdit,
  IconFileImport,
  IconMessage,
  IconMessageOff,
  IconMessages,
  IconNote,
  IconNoteOff,
  IconStairs,
  IconShoppingCart,
  IconTag,
  IconTagOff,
  IconTicket,
  IconTrash,
  IconTruckDelivery,
  IconUserCheck,
  IconUserPlus,
  IconUsersMinus,
  IconUsersPlus,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { type TimelineKind, timelineKinds } from '../../../../shared/customers.js';
import { QueryError } from '../../../components/query-error.js';
import { formatDateTime, formatRelative, humanize } from '../../../lib/format.js';
import { useCustomerTimeline } from '../api/get-customer-timeline.js';
import { TimelineDetail } from './timeline-detail.js';

const kindIcons: Record<TimelineKind, ReactNode> = {
  order_placed: <IconShoppingCart size={14} />,
  order_status_changed: <IconTruckDelivery size={14} />,
  customer_created: <IconUserPlus size={14} />,
  profile_updated: <IconEdit size={14} />,
  signed_up: <IconUserCheck size={14} />,
  imported: <IconFileImport size={14} />,
  tag_added: <IconTag size={14} />,
  tag_removed: <IconTagOff size={14} />,
  stage_changed: <IconStairs size={14} />,
  segment_entered: <IconUsersPlus size={14} />,
  segment_left: <IconUsersMinus size={14} />,
  note_added: <IconNote size={14} />,
  note_updated: <IconNote size={14} />,
  note_deleted: <IconNoteOff size={14} />,
  interaction_logged: <IconMessages size={14} />,
  interaction_updated: <IconMessages size={14} />,
  interaction_deleted: <IconMessageOff size={14} />,
  ticket_opened: <IconTicket size={14} />,
  ticket_updated: <IconTicket size={14} />,
  ticket_commented: <IconMessage size={14} />,
  task_created: <IconChecklist size={14} />,
  task_completed: <IconCircleCheck size={14} />,
  task_deleted: <IconTrash size={14} />,
};

const kindOptions = [
  { value: 'all', label: 'All activity' },
  ...timelineKinds.map((k) => ({ value: k, label: humanize(k) })),
];

/** The customer's activity, newest first, one page at a time. */
export function CustomerTimeline({ customerId }: { customerId: string }) {
  const [kind, setKind] = useState<string>('all');
  const kinds = kind === 'all' ? [] : ([kind] as TimelineKind[]);
  const query = useCustomerTimeline(customerId, kinds);
  const events = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="timeline-title">
      <Group justify="space-between" mb="md" wrap="nowrap">
        <Title order={2} size="h4" id="timeline-title">
          Timeline
        </Title>
        <Select
          aria-label="Show activity of kind"
          data={kindOptions}
          value={kind}
          onChange={(v) => setKind(v ?? 'all')}
          allowDeselect={false}
          size="xs"
          w={180}
        />
      </Group>
      {query.isPending ? (
        <Skeleton height={160} />
      ) : query.isError ? (
        <QueryError
          error={query.error}
          onRetry={() => void query.refetch()}
          title="Could not load the timeline"
        />
      ) : events.length === 0 ? (
        <Text size="sm" c="dimmed">
          No activity yet.
        </Text>
      ) : (
        <Timeline bulletSize={26} lineWidth={2} active={-1}>
          {events.map((event) => (
            <Timeline.Item
              key={event.id}
              bullet={
                <ThemeIcon size={26} radius="xl" variant="light">
                  {kindIcons[event.kind] ?? <IconEdit size={14} />}
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
                <Tooltip label={formatDateTime(event.occurred_at)}>
                  <time dateTime={event.occurred_at}>{formatRelative(event.occurred_at)}</time>
                </Tooltip>
                {event.actor ? ` · by ${event.actor.name ?? 'a staff member'}` : ''}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {query.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button
            variant="light"
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
          >
            Load more activity
          </Button>
        </Group>
      ) : null}
    </Card>
  );
}
