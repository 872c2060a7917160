import { Alert, Progress, Stack, Text } from '@mantine/core';
import { IconLoader2 } from '@tabler/icons-react';
import type { Job } from '../../../../shared/jobs.js';
import { formatCount } from '../../../lib/format.js';

/** A background job the user started, while it runs: its state and, once known, how far along. */
export function JobProgress({ job, title }: { job: Job | undefined; title: string }) {
  const total = job?.progress.total ?? null;
  const done = job?.progress.done ?? 0;
  const percent = total ? Math.min(100, (done / total) * 100) : 100;
  return (
    <Alert color="blue" variant="light" icon={<IconLoader2 size={18} aria-hidden />} title={title}>
      <Stack gap={6} aria-live="polite">
        <Text size="sm">
          {job?.status === 'running'
            ? total
              ? `${formatCount(done)} of ${formatCount(total)} done`
              : 'Working…'
            : 'Waiting to start…'}
        </Text>
        <Progress
          value={percent}
          animated={!total}
          striped={!total}
          size="md"
          aria-label={`${title}: progress`}
        />
        <Text size="xs" c="dimmed">
          This runs on the server: it finishes even if you leave this page.
        </Text>
      </Stack>
    </Alert>
  );
}
