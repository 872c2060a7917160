import { Button, Card, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAdjustments, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { QueryError } from '../../../components/query-error.js';
import { formatCount } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useEvaluateLifecycle } from '../api/evaluate-lifecycle.js';
import { useLifecycleReport } from '../api/get-lifecycle-report.js';
import { LifecycleMovements } from './lifecycle-movements.js';
import { LifecycleRulesModal } from './lifecycle-rules-modal.js';
import { LifecycleStages } from './lifecycle-stages.js';

const periods = ['7', '30', '90'] as const;

/** Lifecycle: where customers stand now and how they moved between stages lately. */
export function LifecycleOverviewSection() {
  const [days, setDays] = useState(30);
  const report = useLifecycleReport(days);
  const canEvaluate = usePermission('customers:write');
  const canEditRules = usePermission('settings:manage');
  const evaluate = useEvaluateLifecycle();
  const [rulesOpened, rules] = useDisclosure(false);

  return (
    <Stack gap="sm" component="section" aria-labelledby="lifecycle-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2} size="h3" id="lifecycle-title">
            Lifecycle stages
          </Title>
          <Text size="sm" c="dimmed">
            Set from order behaviour by the rules, unless set by hand on a profile.
          </Text>
        </div>
        <Group gap="sm">
          {canEditRules ? (
            <Button variant="default" leftSection={<IconAdjustments size={16} />} onClick={rules.open}>
              Rules
            </Button>
          ) : null}
          {canEvaluate ? (
            <Button
              variant="default"
              leftSection={<IconPlayerPlay size={16} />}
              loading={evaluate.isPending}
              onClick={() =>
                evaluate.mutate(undefined, {
                  onSuccess: ({ changed }) =>
                    notifySuccess(
                      `${formatCount(changed)} ${changed === 1 ? 'customer' : 'customers'} changed stage`,
                      'Stages re-evaluated',
                    ),
                  onError: (error) => notifyError(error, 'Could not re-evaluate stages'),
                })
              }
            >
              Re-evaluate now
            </Button>
          ) : null}
        </Group>
      </Group>

      {report.isPending ? (
        <Group justify="center" py="xl">
          <Loader size="sm" />
        </Group>
      ) : report.isError ? (
        <QueryError
          error={report.error}
          onRetry={() => void report.refetch()}
          title="Could not load the lifecycle report"
        />
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Card withBorder padding="md">
            <Title order={3} size="h5" mb="xs">
              Customers by stage
            </Title>
            <LifecycleStages stages={report.data.stages} />
          </Card>
          <Card withBorder padding="md">
            <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
              <Title order={3} size="h5">
                Movements
              </Title>
              <SegmentedControl
                size="xs"
                aria-label="Period"
                value={String(days)}
                onChange={(v) => setDays(Number(v))}
                data={periods.map((p) => ({ value: p, label: `${p} days` }))}
              />
            </Group>
            <div style={{ opacity: report.isPlaceholderData ? 0.6 : 1 }} aria-busy={report.isPlaceholderData}>
              <LifecycleMovements movements={report.data.movements} days={days} />
            </div>
          </Card>
        </SimpleGrid>
      )}
      {canEditRules ? <LifecycleRulesModal opened={rulesOpened} onClose={rules.close} /> : null}
    </Stack>
  );
}
