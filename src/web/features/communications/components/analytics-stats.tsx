import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { Engagement } from '../../../../shared/communications.js';
import { formatCount } from '../../../lib/format.js';
import { formatRate } from './engagement-format.js';

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="md" radius="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700} mt={2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

/** Machine opens/clicks (privacy proxies, link scanners) are reported beside the human ones, never in them. */
function machineHint(rate: number, count: number, what: string): string | undefined {
  if (count === 0) return undefined;
  return `+${formatRate(rate)} machine ${what}, not counted`;
}

/** The period's totals: volume and the rate at each stage. */
export function AnalyticsStats({ totals }: { totals: Engagement }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="md">
      <Stat
        label="Sent"
        value={formatCount(totals.sent)}
        hint={`${formatCount(totals.delivered)} delivered`}
      />
      <Stat label="Delivery rate" value={formatRate(totals.delivery_rate)} />
      <Stat
        label="Open rate"
        value={formatRate(totals.open_rate)}
        hint={machineHint(totals.machine_open_rate, totals.machine_opened, 'opens')}
      />
      <Stat
        label="Click rate"
        value={formatRate(totals.click_rate)}
        hint={machineHint(totals.machine_click_rate, totals.machine_clicked, 'clicks')}
      />
      <Stat
        label="Reply rate"
        value={formatRate(totals.reply_rate)}
        hint={`${formatCount(totals.replied)} replied`}
      />
      <Stat
        label="Bounce rate"
        value={formatRate(totals.bounce_rate)}
        hint={`${formatCount(totals.bounced)} bounced`}
      />
      <Stat
        label="Unsubscribe rate"
        value={formatRate(totals.unsubscribe_rate)}
        hint={`${formatCount(totals.unsubscribed)} unsubscribed`}
      />
    </SimpleGrid>
  );
}
