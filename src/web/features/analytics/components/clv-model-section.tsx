import { Alert, Button, Grid, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconAlertTriangle, IconMathFunction, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { ClvModel } from '../../../../shared/analytics.js';
import { QueryError } from '../../../components/query-error.js';
import { errorMessage } from '../../../lib/api-client.js';
import { formatCount, formatRelative } from '../../../lib/format.js';
import { notifySuccess } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { invalidateAfterFit, useFitClvModel } from '../api/fit-clv-model.js';
import { useClvModel } from '../api/get-clv-model.js';
import { CalibrationChart } from './calibration-chart.js';
import { ClvParameters } from './clv-parameters.js';
import { JobProgress } from './job-progress.js';
import { SectionEmpty, SectionLoading } from './section-states.js';
import { useFollowJob } from './use-follow-job.js';

const fittedMessage = (model: Pick<ClvModel, 'customers_scored'>) =>
  `${formatCount(model.customers_scored)} ${model.customers_scored === 1 ? 'customer' : 'customers'} scored.`;

function RefitModal({
  opened,
  onClose,
  onFit,
  busy,
}: {
  opened: boolean;
  onClose: () => void;
  onFit: (calibrationEnd: string | undefined) => void;
  busy: boolean;
}) {
  const [end, setEnd] = useState<string | null>(null);
  return (
    <Modal opened={opened} onClose={onClose} title="Refit the customer-value model">
      <Stack gap="md">
        <Text size="sm">
          Fits BG/NBD and Gamma-Gamma on the shop's orders by maximum likelihood, then scores every customer:
          predicted value, churn risk and expected purchases.
        </Text>
        <DatePickerInput
          label="Calibration window ends"
          description="Optional. Orders after this day are held out to check the model's predictions."
          placeholder="The server's default"
          clearable
          valueFormat="D MMM YYYY"
          maxDate={new Date()}
          value={end}
          onChange={setEnd}
          popoverProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            leftSection={<IconRefresh size={16} />}
            loading={busy}
            onClick={() => onFit(end ? dayjs(end).format('YYYY-MM-DD') : undefined)}
          >
            Fit model
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The customer-value model: its parameters and fit, the calibration chart, and refitting it. */
export function ClvModelSection() {
  const model = useClvModel();
  const canManage = usePermission('analytics:manage');
  const queryClient = useQueryClient();
  const fit = useFitClvModel();
  const [modalOpen, setModalOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const follow = useFollowJob({
    onSucceeded: (job) => {
      invalidateAfterFit(queryClient);
      // the fit job's result: { model_id, customers_scored }
      const scored = (job.result as { customers_scored?: number } | null)?.customers_scored;
      notifySuccess(
        scored === undefined
          ? 'Every customer has a new prediction.'
          : fittedMessage({ customers_scored: scored }),
        'Model fitted',
      );
    },
    onFailed: (message) => setFailure(message),
  });

  const start = (calibrationEnd?: string) => {
    setFailure(null);
    fit.mutate(calibrationEnd ? { calibration_end: calibrationEnd } : {}, {
      onSuccess: (reply) => {
        setModalOpen(false);
        if (reply.status === 'fitted') notifySuccess(fittedMessage(reply.model), 'Model fitted');
        else follow.follow(reply.job_id);
      },
      onError: (error) => {
        setModalOpen(false);
        setFailure(errorMessage(error));
      },
    });
  };
  const busy = fit.isPending || follow.following;
  const current = model.data ?? null;

  return (
    <Stack gap="sm" component="section" aria-labelledby="clv-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2} size="h3" id="clv-title">
            Customer-value model
          </Title>
          <Text size="sm" c="dimmed" mih={20}>
            {current
              ? `BG/NBD with Gamma-Gamma, fitted ${formatRelative(current.fitted_at)} on ${formatCount(current.customers)} customers.`
              : 'Predicts each customer\u2019s purchases, chance of still being active and 12-month value.'}
          </Text>
        </div>
        {canManage && current ? (
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={busy}
            onClick={() => setModalOpen(true)}
          >
            Refit model
          </Button>
        ) : null}
      </Group>
      {follow.following ? <JobProgress job={follow.job} title="Fitting the model" /> : null}
      {failure ? (
        <Alert
          color="red"
          icon={<IconAlertTriangle size={18} />}
          title="The model could not be fitted"
          role="alert"
        >
          {failure}
        </Alert>
      ) : null}

      {model.isPending ? (
        <SectionLoading label="Loading the model" h={240} />
      ) : model.isError ? (
        <QueryError
          error={model.error}
          onRetry={() => void model.refetch()}
          title="Could not load the model"
        />
      ) : current === null ? (
        <SectionEmpty
          icon={<IconMathFunction size={40} stroke={1.4} opacity={0.5} aria-hidden />}
          title="No model fitted yet"
          action={
            canManage ? (
              <Button mt="xs" leftSection={<IconRefresh size={16} />} loading={busy} onClick={() => start()}>
                Fit now
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                Someone who manages analytics can fit it.
              </Text>
            )
          }
        >
          Fitting learns how often customers buy, how likely they are to stop, and how much they spend, from
          the shop's own orders.
        </SectionEmpty>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Paper
              withBorder
              p="md"
              radius="md"
              h="100%"
              component="section"
              aria-labelledby="clv-params-title"
            >
              <Title order={3} size="h5" id="clv-params-title" mb="sm">
                Parameters and fit
              </Title>
              <ClvParameters model={current} />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Paper
              withBorder
              p="md"
              radius="md"
              h="100%"
              component="section"
              aria-labelledby="calibration-title"
            >
              <Title order={3} size="h5" id="calibration-title">
                Calibration: predicted against actual
              </Title>
              {current.holdout ? (
                <CalibrationChart holdout={current.holdout} />
              ) : (
                <Text size="sm" c="dimmed" mt="xs">
                  This model was fitted on every order, so nothing was held out to check it against. Refit
                  with an earlier calibration end to see the comparison.
                </Text>
              )}
            </Paper>
          </Grid.Col>
        </Grid>
      )}
      {canManage ? (
        <RefitModal
          opened={modalOpen}
          onClose={() => setModalOpen(false)}
          onFit={start}
          busy={fit.isPending}
        />
      ) : null}
    </Stack>
  );
}
