import { SimpleGrid, Skeleton, Text } from '@mantine/core';
import type { MyWork as MyWorkData } from '../../../../shared/work.js';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { useMe } from '../../auth/api/get-me.js';
import { useMyWork } from '../api/get-my-work.js';
import { MentionsCard } from './mentions-card.js';
import { MyCustomersCard } from './my-customers-card.js';
import { MyTasksCard } from './my-tasks-card.js';
import { MyTicketsCard } from './my-tickets-card.js';
import { countLabel } from './work-card.js';

function greeting(hour = new Date().getHours()): string {
  if (hour < 5) return 'Good evening';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

const plural = (n: string, one: string, many: string) => `${n} ${n === '1' ? one : many}`;

function summary(work: MyWorkData): string {
  const tasks = countLabel(work.tasks.data.length, work.tasks.next_cursor !== null);
  const overdue = work.tasks.data.filter((t) => t.overdue).length;
  const tickets = countLabel(work.tickets.data.length, work.tickets.next_cursor !== null);
  const mentions = countLabel(work.mentions.data.length, work.mentions.next_cursor !== null);
  return [
    `${plural(tasks, 'open task', 'open tasks')}${overdue > 0 ? ` (${overdue} overdue)` : ''}`,
    plural(tickets, 'ticket', 'tickets'),
    plural(mentions, 'unread mention', 'unread mentions'),
  ].join(' · ');
}

/** What is on my plate: tasks (overdue first), tickets, unread mentions and the customers I own. */
export function MyWork() {
  const me = useMe();
  const work = useMyWork();
  const name = me.data?.name ?? me.data?.email ?? '';
  return (
    <>
      <PageHeader
        title={`${greeting()}${name ? `, ${name}` : ''}`}
        description={work.data ? summary(work.data) : <Text span>My work</Text>}
      />
      {work.isPending ? (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {[1, 2, 3, 4].map((i) => (
            <Skeleton key={i} height={220} radius="md" />
          ))}
        </SimpleGrid>
      ) : work.isError ? (
        <QueryError error={work.error} onRetry={() => void work.refetch()} title="Could not load your work" />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <MyTasksCard tasks={work.data.tasks} />
          <MyTicketsCard tickets={work.data.tickets} />
          <MentionsCard mentions={work.data.mentions} />
          <MyCustomersCard customers={work.data.customers} />
        </SimpleGrid>
      )}
    </>
  );
}
