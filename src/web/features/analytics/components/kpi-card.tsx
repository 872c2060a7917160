import { Badge, Paper, Text, VisuallyHidden } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import type { Overview } from '../../../../shared/analytics.js';
import { formatCount, formatMoney } from '../../../lib/format.js';
import { formatChangePct, formatShare } from '../analytics-format.js';

export type KpiName = keyof Overview['kpis'];
type Kpi = Overview['kpis'][KpiName];

interface KpiSpec {
  label: string;
  format: (value: number) => string;
  /** Whether a rise is good news (churn is the one where it is not). */
  higherIsBetter: boolean;
  hint: string;
}

export const kpiSpecs: Record<KpiName, KpiSpec> = {
  revenue: { label: 'Revenue', format: formatMoney, higherIsBetter: true, hint: 'Kept orders in the period' },
  orders: { label: 'Orders', format: formatCount, higherIsBetter: true, hint: 'Paid or fulfilled' },
  average_order_value: {
    label: 'Average order',
    format: formatMoney,
    higherIsBetter: true,
    hint: 'Revenue per order',
  },
  customers: {
    label: 'Customers',
    format: formatCount,
    higherIsBetter: true,
    hint: 'In the CRM at period end',
  },
  new_customers: {
    label: 'New customers',
    format: formatCount,
    higherIsBetter: true,
    hint: 'First order in the period',
  },
  active_customers: {
    label: 'Active customers',
    format: formatCount,
    higherIsBetter: true,
    hint: 'Ordered in the period',
  },
  repeat_rate: {
    label: 'Repeat rate',
    format: (v) => formatShare(v),
    higherIsBetter: true,
    hint: 'Buyers who ordered again',
  },
  churn_rate: {
    label: 'Churn rate',
    format: (v) => formatShare(v),
    higherIsBetter: false,
    hint: 'Active customers lost',
  },
};

function Change({ kpi, spec }: { kpi: Kpi; spec: KpiSpec }) {
  if (kpi.change_pct === null) {
    return (
      <Badge color="gray" variant="light" size="sm">
        <span aria-hidden>new</span>
        <VisuallyHidden>nothing to compare with in the previous period</VisuallyHidden>
      </Badge>
    );
  }
  const pct = kpi.change_pct;
  const flat = Math.round(pct * 10) === 0;
  const up = pct > 0;
  const good = flat ? null : up === spec.higherIsBetter;
  const Icon = flat ? IconArrowRight : up ? IconArrowUpRight : IconArrowDownRight;
  return (
    <Badge
      color={good === null ? 'gray' : good ? 'teal' : 'red'}
      variant="light"
      size="sm"
      leftSection={<Icon size={12} aria-hidden />}
      data-testid="kpi-change"
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      <VisuallyHidden>{flat ? 'unchanged' : up ? 'up' : 'down'} </VisuallyHidden>
      {formatChangePct(pct)}
    </Badge>
  );
}

/** One KPI: its value in the period, the change against the previous period, and that value. */
export function KpiCard({ name, kpi }: { name: KpiName; kpi: Kpi }) {
  const spec = kpiSpecs[name];
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-label={spec.label} data-kpi={name}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" title={spec.hint}>
        {spec.label}
      </Text>
      <Text fz={24} fw={700} lh={1.3} mt={4} data-testid="kpi-value">
        {spec.format(kpi.value)}
      </Text>
      <Text
        size="xs"
        c="dimmed"
        mt={6}
        component="div"
        style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}
      >
        <Change kpi={kpi} spec={spec} />
        <span data-testid="kpi-previous">was {spec.format(kpi.previous)}</span>
      </Text>
    </Paper>
  );
}
