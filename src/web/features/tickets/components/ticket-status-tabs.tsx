import { Badge, Tabs } from '@mantine/core';
import type { TicketCounts } from '../../../../shared/tickets.js';
import { formatCount } from '../../../lib/format.js';
import { type TicketTab, ticketTabs } from '../ticket-list-params.js';

const labels: Record<TicketTab, string> = {
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
  breached: 'Breached',
  all: 'All',
};

function countOf(tab: TicketTab, counts: TicketCounts): number {
  if (tab === 'all') return counts.open + counts.pending + counts.resolved + counts.closed;
  return counts[tab];
}

/** One tab per status (plus breached and all), each with its count under the other filters. */
export function TicketStatusTabs({
  value,
  counts,
  onChange,
}: {
  value: TicketTab;
  counts: TicketCounts | undefined;
  onChange: (tab: TicketTab) => void;
}) {
  return (
    <Tabs value={value} onChange={(v) => v && onChange(v as TicketTab)} mb="sm">
      <Tabs.List aria-label="Ticket status">
        {ticketTabs.map((tab) => {
          const count = counts ? countOf(tab, counts) : undefined;
          return (
            <Tabs.Tab
              key={tab}
              value={tab}
              rightSection={
                count === undefined ? null : (
                  <Badge
                    size="sm"
                    variant={tab === value ? 'filled' : 'light'}
                    color={tab === 'breached' && count > 0 ? 'red' : 'gray'}
                    aria-label={`${count} tickets`}
                  >
                    {formatCount(count)}
                  </Badge>
                )
              }
            >
              {labels[tab]}
            </Tabs.Tab>
          );
        })}
      </Tabs.List>
    </Tabs>
  );
}
