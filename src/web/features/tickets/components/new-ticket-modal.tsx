import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import {
  type TicketCreate,
  type TicketPriority,
  ticketCreateSchema,
  ticketPriorities,
} from '../../../../shared/tickets.js';
import { isApiError } from '../../../lib/api-client.js';
import { humanize } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useCreateTicket } from '../api/create-ticket.js';
import { CustomerPicker, type PickedCustomer } from '../../customers/components/customer-picker.js';
import { useStaffOptions } from './staff-options.js';

interface Values {
  subject: string;
  description: string;
  priority: TicketPriority;
  assignee_id: string | null;
  customer: PickedCustomer | null;
}

export const priorityOptions = ticketPriorities.map((p) => ({ value: p, label: humanize(p) }));

function toBody(values: Values, customerId: string | undefined): TicketCreate {
  return {
    subject: values.subject,
    description: values.description.trim() || null,
    priority: values.priority,
    assignee_id: values.assignee_id,
    customer_id: customerId ?? values.customer?.id ?? null,
  };
}

/** Opens a ticket; with `customerId` the customer is fixed (the profile's tab). Lands on the new ticket. */
export function NewTicketModal({
  opened,
  onClose,
  customerId,
}: {
  opened: boolean;
  onClose: () => void;
  customerId?: string;
}) {
  const create = useCreateTicket();
  const navigate = useNavigate();
  const staffOptions = useStaffOptions(opened);
  const form = useForm<Values>({
    initialValues: { subject: '', description: '', priority: 'normal', assignee_id: null, customer: null },
    validate: (values) => zodErrors(ticketCreateSchema, toBody(values, customerId)),
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="New ticket" centered size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          create.mutate(toBody(values, customerId), {
            onSuccess: (ticket) => {
              notifySuccess(`Ticket #${ticket.number} opened`);
              close();
              void navigate(`/tickets/${ticket.id}`);
            },
            onError: (error) => {
              if (isApiError(error)) {
                const { customer_id: customerError, ...rest } = error.fieldErrors;
                form.setErrors(customerError ? { ...rest, customer: customerError } : rest);
              }
              notifyError(error, 'Could not open the ticket');
            },
          });
        })}
      >
        <Stack gap="sm">
          <TextInput
            label="Subject"
            required
            maxLength={200}
            data-autofocus
            {...form.getInputProps('subject')}
          />
          <Textarea
            label="Description"
            // not autosize: it needs document.fonts, which happy-dom (the component tests) lacks
            rows={5}
            {...form.getInputProps('description')}
          />
          <Group grow align="flex-start">
            <Select
              label="Priority"
              data={priorityOptions}
              allowDeselect={false}
              {...form.getInputProps('priority')}
            />
            <Select
              label="Assignee"
              placeholder="Unassigned"
              clearable
              searchable
              data={staffOptions}
              {...form.getInputProps('assignee_id')}
            />
          </Group>
          {customerId ? null : (
            <CustomerPicker
              description="Optional: search by name, email or company"
              value={form.values.customer}
              onChange={(customer) => form.setFieldValue('customer', customer)}
              error={form.errors.customer as string | undefined}
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Open ticket
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
