import { Badge, type MantineColor } from '@mantine/core';
import type { ChurnRisk } from '../../../../shared/analytics.js';

const colors: Record<ChurnRisk, MantineColor> = { low: 'teal', medium: 'yellow', high: 'red' };

export function ChurnRiskBadge({ risk, size = 'md' }: { risk: ChurnRisk; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge color={colors[risk]} size={size} variant="light" data-risk={risk}>
      {risk === 'low' ? 'Low' : risk === 'medium' ? 'Medium' : 'High'} churn risk
    </Badge>
  );
}
