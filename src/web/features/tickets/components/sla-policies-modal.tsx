import { Button, Group, Modal, NumberInput, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import {
  type SlaPolicy,
  type TicketPriority,
  slaPolicyUpdateSchema,
  ticketPriorities,
} from '../../../../shared/tickets.js';
import { QueryError } from '../../../components/query-error.js';
import { isApiError } from '../../../lib/api-client.js';
import { humanize } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useSlaPolicies, useUpdateSlaPolicies } from '../api/sla-policies.js';

type Values = { data: SlaPolicy[] };

/** The minutes in words: "under an hour", "1.5 hours", "3 days". */
export function asHours(minutes: number | string): string {
  const n = typeof minutes === 'number' ? minutes : Number(minutes);
  if (!Number.isFinite(n) || n <= 0) return ' ';
  if (n < 60) return 'under an hour';
  const hours = n / 60;
  if (hours >= 48) return `${Number((hours / 24).toFixed(1))} days`;
  const h = Number(hours.toFixed(2));
  return `${h} ${h === 1 ? 'hour' : 'hours'}`;
}

function MinutesInput({
  label,
  inputProps,
}: {
  label: string;
  inputProps: ReturnType<ReturnType<typeof useForm<Values>>['getInputProps']>;
}) {
  return (
    <NumberInput
      aria-label={label}
      min={1}
      max={525600}
      step={15}
      allowDecimal={false}
      thousandSeparator=","
      suffix=" min"
      description={asHours(inputProps.value as number | string)}
      inputWrapperOrder={['input', 'description', 'error']}
      {...inputProps}
    />
  );
}

/** First-response and resolution times per priority, in minutes (shown as hours too). */
export function SlaPoliciesModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const query = useSlaPolicies(opened);
  const update = useUpdateSlaPolicies();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { data: [] },
    validate: (values) => zodErrors(slaPolicyUpdateSchema, values),
  });
  const { setValues, resetDirty } = form;
  useEffect(() => {
    if (!opened || !query.data) return;
    const order = (p: TicketPriority) => ticketPriorities.indexOf(p);
    setValues({ data: [...query.data].sort((a, b) => order(a.priority) - order(b.priority)) });
    resetDirty();
    // only when the modal opens or the stored policies change
  }, [opened, query.data, setValues, resetDirty]);

  const rows = form.getValues().data;
  return (
    <Modal opened={opened} onClose={onClose} title="SLA policies" centered size="lg">
      {query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending || rows.length === 0 ? (
        <Skeleton h={220} />
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit((values) =>
            update.mutate(values, {
              onSuccess: () => {
                notifySuccess('SLA policies saved');
                onClose();
              },
              onError: (error) => {
                if (isApiError(error)) form.setErrors(error.fieldErrors);
                notifyError(error, 'Could not save the SLA policies');
              },
            }),
          )}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              New tickets, and tickets whose priority changes, are due after their priority’s resolution time.
              Open tickets keep their due time.
            </Text>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Priority</Table.Th>
                  <Table.Th>First response</Table.Th>
                  <Table.Th>Resolution</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((policy, index) => (
                  <Table.Tr key={policy.priority}>
                    <Table.Td fw={500}>{humanize(policy.priority)}</Table.Td>
                    <Table.Td>
                      <MinutesInput
                        label={`${humanize(policy.priority)} first response (minutes)`}
                        inputProps={form.getInputProps(`data.${index}.first_response_minutes`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <MinutesInput
                        label={`${humanize(policy.priority)} resolution (minutes)`}
                        inputProps={form.getInputProps(`data.${index}.resolution_minutes`)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={update.isPending}>
                Save policies
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
