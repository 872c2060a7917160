import { Alert, Button, Card, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconChartDots, IconRefresh } from '@tabler/icons-react';
import type { RfmRun } from '../../../../shared/rfm.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatDateTime, formatRelative } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useRfmOverview } from '../api/get-rfm-overview.js';
import { useRescoreRfm } from '../api/rescore-rfm.js';
import { RfmGrid } from './rfm-grid.js';
import { RfmGroupsTable } from './rfm-groups-table.js';

function runSummary(run: RfmRun): string {
  return `Scored ${formatCount(run.customers_scored)} ${run.customers_scored === 1 ? 'customer' : 'customers'}; ${formatCount(run.customers_changed)} changed group.`;
}

/** RFM: the last scoring run, a way to rescore, the recency × frequency grid and the named groups. */
export function RfmOverviewSection() {
  const overview = useRfmOverview();
  const canRescore = usePermission('customers:write');
  const rescore = useRescoreRfm();
  const run = () =>
    rescore.mutate(undefined, {
      onSuccess: (result) => notifySuccess(runSummary(result), 'RFM scores updated'),
      onError: (error) => notifyError(error, 'Could not rescore'),
    });

  const lastRun = overview.data?.last_run ?? null;
  const empty = overview.data !== undefined && (overview.data.customers_scored === 0 || lastRun === null);

  return (
    <Stack gap="sm" component="section" aria-labelledby="rfm-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2} size="h3" id="rfm-title">
            RFM: recency, frequency, monetary value
          </Title>
          <Text size="sm" c="dimmed" mih={20}>
            {lastRun
              ? `Last scored ${formatRelative(lastRun.finished_at)} (${formatDateTime(lastRun.finished_at)}): ${formatCount(overview.data?.customers_scored ?? 0)} customers scored.`
              : '\u00a0'}
          </Text>
        </div>
        {canRescore && !empty ? (
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={rescore.isPending}
            onClick={run}
          >
            Rescore now
          </Button>
        ) : null}
      </Group>
      {rescore.data ? (
        <Alert color="green" variant="light" role="status" title="Rescored">
          {runSummary(rescore.data)} Took {formatCount(Math.round(rescore.data.duration_ms))} ms.
        </Alert>
      ) : null}

      {overview.isPending ? (
        <Group justify="center" py="xl">
          <Loader size="sm" />
        </Group>
      ) : overview.isError ? (
        <QueryError
          error={overview.error}
          onRetry={() => void overview.refetch()}
          title="Could not load RFM"
        />
      ) : empty ? (
        <Card withBorder padding="xl">
          <Stack align="center" gap="xs">
            <IconChartDots size={40} stroke={1.4} opacity={0.5} aria-hidden />
            <Text fw={600}>No customers are scored yet</Text>
            <Text size="sm" c="dimmed" ta="center" maw={460}>
              Scoring ranks every customer with orders by how recently, how often and how much they buy, and
              names their group.
            </Text>
            {canRescore ? (
              <Button
                mt="xs"
                leftSection={<IconRefresh size={16} />}
                loading={rescore.isPending}
                onClick={run}
              >
                Run scoring
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                Someone who can edit customers can run scoring.
              </Text>
            )}
          </Stack>
        </Card>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Card withBorder padding="md" h="100%">
              <Title order={3} size="h5" mb="xs">
                Recency × frequency
              </Title>
              <RfmGrid grid={overview.data.grid} />
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Card withBorder padding="md" h="100%">
              <Title order={3} size="h5" mb="xs">
                Groups
              </Title>
              <RfmGroupsTable groups={overview.data.groups} />
            </Card>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
