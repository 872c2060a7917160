import { Badge, type MantineColor } from '@mantine/core';
import type { CustomerStatus, LifecycleStage } from '../../shared/enums.js';
import { humanize } from '../lib/format.js';

const statusColors: Record<CustomerStatus, MantineColor> = {
  active: 'green',
  prospect: 'blue',
  inactive: 'gray',
  churned: 'red',
};

const stageColors: Record<LifecycleStage, MantineColor> = {
  lead: 'cyan',
  customer: 'indigo',
  loyal: 'grape',
  at_risk: 'orange',
  lost: 'gray',
};

export function StatusBadge({
  status,
  size = 'sm',
}: {
  status: CustomerStatus;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  return (
    <Badge color={statusColors[status]} size={size}>
      {humanize(status)}
    </Badge>
  );
}

export function StageBadge({
  stage,
  size = 'sm',
}: {
  stage: LifecycleStage;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  return (
    <Badge color={stageColors[stage]} size={size} variant="outline">
      {humanize(stage)}
    </Badge>
  );
}
