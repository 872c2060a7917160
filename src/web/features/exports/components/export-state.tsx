import { Badge, Progress, Stack, Text, Tooltip } from '@mantine/core';
import type { Export } from '../../../../shared/exports.js';
import { formatCount } from '../../../lib/format.js';
import { stateColors, stateLabels } from '../export-labels.js';

export function ExportStateBadge({ state }: { state: Export['state'] }) {
  return (
    <Badge color={stateColors[state]} variant="light" style={{ flexShrink: 0 }}>
      {stateLabels[state]}
    </Badge>
  );
}

/** Share of rows written, 0-100; null before the row count is known. */
export function exportProgress(exp: Pick<Export, 'rows_written' | 'row_count'>): number | null {
  if (!exp.row_count) return null;
  return Math.min(100, Math.round((exp.rows_written / exp.row_count) * 100));
}

/** The state badge, with a progress bar while it runs and the reason when it failed or was refused. */
export function ExportState({ exp }: { exp: Export }) {
  if (exp.state === 'running') {
    const value = exportProgress(exp);
    return (
      <Stack gap={4} miw={140}>
        <ExportStateBadge state={exp.state} />
        <Progress
          value={value ?? 100}
          animated
          striped={value === null}
          size="sm"
          aria-label={`Progress of ${exp.title}`}
          aria-valuetext={
            value === null
              ? 'Starting'
              : `${formatCount(exp.rows_written)} of ${formatCount(exp.row_count ?? 0)} rows`
          }
        />
        <Text size="xs" c="dimmed">
          {value === null
            ? 'Starting…'
            : `${formatCount(exp.rows_written)} of ${formatCount(exp.row_count ?? 0)} rows`}
        </Text>
      </Stack>
    );
  }
  const reason = exp.state === 'failed' ? exp.error : exp.state === 'rejected' ? exp.rejection_reason : null;
  if (!reason) return <ExportStateBadge state={exp.state} />;
  return (
    <Stack gap={2} maw={220}>
      <ExportStateBadge state={exp.state} />
      <Tooltip label={reason} multiline maw={320} withArrow>
        <Text size="xs" c="dimmed" lineClamp={2} tabIndex={0}>
          {exp.state === 'rejected' && exp.approved_by
            ? `${exp.approved_by.name ?? exp.approved_by.email}: ${reason}`
            : reason}
        </Text>
      </Tooltip>
    </Stack>
  );
}
