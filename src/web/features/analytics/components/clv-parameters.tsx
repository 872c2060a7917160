import { Badge, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ClvModel } from '../../../../shared/analytics.js';
import { formatCount, formatDate, formatDateTime } from '../../../lib/format.js';
import { formatDecimal, formatParameter } from '../analytics-format.js';

function ParameterTable({
  label,
  rows,
  numeric = true,
}: {
  label: string;
  rows: [name: string, value: string][];
  /** Figures in monospace, aligned on their decimals; words in the body font. */
  numeric?: boolean;
}) {
  return (
    <Table aria-label={label} verticalSpacing={4} fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name} data-parameter={name}>
            <Table.Th scope="row" fw={500} w="55%">
              {name}
            </Table.Th>
            <Table.Td ta="right" ff={numeric ? 'monospace' : undefined}>
              {value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Converged({ converged, iterations }: { converged: boolean; iterations: number }) {
  return (
    <Badge color={converged ? 'teal' : 'orange'} variant="light" size="sm">
      {converged ? 'Converged' : 'Not converged'} · {formatCount(iterations)} iterations
    </Badge>
  );
}

/** The fitted parameters of both models by their usual names, their fit, and the windows. */
export function ClvParameters({ model }: { model: ClvModel }) {
  const { bgnbd, gamma_gamma: gg } = model;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Stack gap={6}>
          <Group justify="space-between" gap="xs">
            <Title order={4} size="h6">
              BG/NBD: purchases and dropout
            </Title>
            <Converged converged={bgnbd.converged} iterations={bgnbd.iterations} />
          </Group>
          <ParameterTable
            label="BG/NBD parameters"
            rows={[
              ['r', formatParameter(bgnbd.r)],
              ['alpha', formatParameter(bgnbd.alpha)],
              ['a', formatParameter(bgnbd.a)],
              ['b', formatParameter(bgnbd.b)],
              ['Log-likelihood', bgnbd.log_likelihood.toFixed(2)],
            ]}
          />
        </Stack>
        <Stack gap={6}>
          <Group justify="space-between" gap="xs">
            <Title order={4} size="h6">
              Gamma-Gamma: spend per order
            </Title>
            {gg ? <Converged converged={gg.converged} iterations={gg.iterations} /> : null}
          </Group>
          {gg ? (
            <ParameterTable
              label="Gamma-Gamma parameters"
              rows={[
                ['p', formatParameter(gg.p)],
                ['q', formatParameter(gg.q)],
                ['gamma', formatParameter(gg.gamma)],
                ['Log-likelihood', gg.log_likelihood.toFixed(2)],
                ['Repeat buyers', formatCount(gg.customers)],
              ]}
            />
          ) : (
            <Text size="sm" c="dimmed">
              Not fitted: too few customers bought twice to model spend. Predicted value uses the average
              order value instead.
            </Text>
          )}
        </Stack>
      </SimpleGrid>
      <ParameterTable
        numeric={false}
        label="Windows and data"
        rows={[
          [
            'Calibration window',
            `${formatDate(model.calibration_start)} – ${formatDate(model.calibration_end)}`,
          ],
          [
            'Holdout window',
            model.holdout
              ? `to ${formatDate(model.observation_end)} (${formatDecimal(model.holdout.weeks)} weeks)`
              : 'none (fitted on all orders)',
          ],
          ['Customers in calibration', formatCount(model.customers)],
          ['With a repeat purchase', formatCount(model.repeat_customers)],
          ['Customers scored', formatCount(model.customers_scored)],
          [
            'Fitted',
            `${formatDateTime(model.fitted_at)} in ${formatCount(Math.round(model.duration_ms))} ms`,
          ],
        ]}
      />
    </Stack>
  );
}
