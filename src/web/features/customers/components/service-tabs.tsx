import { Card, Tabs } from '@mantine/core';
import { IconChecklist, IconMessages, IconNote, IconTicket } from '@tabler/icons-react';
import { useState } from 'react';
import { CustomerInteractions } from '../../interactions/components/customer-interactions.js';
import { CustomerNotes } from '../../notes/components/customer-notes.js';
import { CustomerTasks } from '../../tasks/components/customer-tasks.js';
import { CustomerTickets } from '../../tickets/components/customer-tickets.js';

type ServiceTab = 'notes' | 'interactions' | 'tickets' | 'tasks';

/**
 * The service work on one customer: notes, logged interactions, tickets and tasks, one tab each.
 * Only the open tab is mounted, so the profile loads only what is looked at.
 */
export function ServiceTabs({ customerId }: { customerId: string }) {
  const [tab, setTab] = useState<ServiceTab>('notes');
  return (
    <Card withBorder padding="lg" component="section" aria-label="Service work">
      <Tabs value={tab} onChange={(v) => setTab((v as ServiceTab | null) ?? 'notes')} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="notes" leftSection={<IconNote size={16} aria-hidden />}>
            Notes
          </Tabs.Tab>
          <Tabs.Tab value="interactions" leftSection={<IconMessages size={16} aria-hidden />}>
            Interactions
          </Tabs.Tab>
          <Tabs.Tab value="tickets" leftSection={<IconTicket size={16} aria-hidden />}>
            Tickets
          </Tabs.Tab>
          <Tabs.Tab value="tasks" leftSection={<IconChecklist size={16} aria-hidden />}>
            Tasks
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="notes">
          <CustomerNotes customerId={customerId} />
        </Tabs.Panel>
        <Tabs.Panel value="interactions">
          <CustomerInteractions customerId={customerId} />
        </Tabs.Panel>
        <Tabs.Panel value="tickets">
          <CustomerTickets customerId={customerId} />
        </Tabs.Panel>
        <Tabs.Panel value="tasks">
          <CustomerTasks customerId={customerId} />
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}
