import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconCalendarEvent, IconClock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  type Interaction,
  type InteractionCreate,
  type InteractionType,
  interactionCreateSchema,
  interactionTypes,
} from '../../../../shared/interactions.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import { isApiError } from '../../../lib/api-client.js';
import { humanize } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useCreateInteraction } from '../api/create-interaction.js';
import { invalidateInteractionQueries } from '../api/invalidate-interactions.js';
import { useUpdateInteraction } from '../api/update-interaction.js';
import {
  aheadPresets,
  isoToPicker,
  type PickerValue,
  nowPicker,
  pickerToIso,
} from '../../../lib/picker-dates.js';

interface InteractionFormValues {
  interaction_type: InteractionType;
  subject: string;
  occurred_at: PickerValue;
  description: string;
  outcome: string;
  follow_up_date: PickerValue;
}

const typeOptions = interactionTypes.map((t) => ({ value: t, label: humanize(t) }));
const valueFormat = 'D MMM YYYY HH:mm';

function valuesOf(interaction: Interaction): InteractionFormValues {
  return {
    interaction_type: interaction.interaction_type,
    subject: interaction.subject,
    occurred_at: isoToPicker(interaction.occurred_at),
    description: interaction.description ?? '',
    outcome: interaction.outcome ?? '',
    follow_up_date: isoToPicker(interaction.follow_up_date),
  };
}

function toBody(values: InteractionFormValues): InteractionCreate {
  return {
    interaction_type: values.interaction_type,
    subject: values.subject,
    occurred_at: pickerToIso(values.occurred_at) ?? undefined,
    description: values.description.trim() || null,
    outcome: values.outcome.trim() || null,
    follow_up_date: pickerToIso(values.follow_up_date),
  };
}

/** Log an interaction on a customer, or edit `interaction`; a stale edit opens the conflict dialog. */
export function InteractionFormModal({
  customerId,
  interaction,
  onClose,
}: {
  customerId: string;
  interaction?: Interaction;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const create = useCreateInteraction();
  const update = useUpdateInteraction();
  const presets = useMemo(() => aheadPresets(), []);
  // the version this edit is based on: the interaction as opened, or theirs after "Reload"
  const [base, setBase] = useState(interaction);
  const [conflict, setConflict] = useState<Interaction | null>(null);
  const form = useForm<InteractionFormValues>({
    initialValues: interaction
      ? valuesOf(interaction)
      : {
          interaction_type: 'phone',
          subject: '',
          occurred_at: nowPicker(),
          description: '',
          outcome: '',
          follow_up_date: null,
        },
    validate: (values) => zodErrors(interactionCreateSchema, toBody(values)),
  });

  const onError = (error: unknown) => {
    if (isApiError(error, 409) && error.current) {
      setConflict(error.current as Interaction);
      return;
    }
    if (isApiError(error)) form.setErrors(error.fieldErrors);
    notifyError(error, base ? 'Could not save the interaction' : 'Could not log the interaction');
  };
  const save = (values: InteractionFormValues, version?: number) => {
    const body = toBody(values);
    const onSuccess = (saved: Interaction) => {
      notifySuccess(
        saved.follow_up_task_id && !base?.follow_up_task_id
          ? `“${saved.subject}” saved; a follow-up task was created for you`
          : `“${saved.subject}” saved`,
      );
      setConflict(null);
      onClose();
    };
    if (base)
      update.mutate(
        { id: base.id, body: { ...body, version: version ?? base.version } },
        { onSuccess, onError },
      );
    else create.mutate({ customerId, body }, { onSuccess, onError });
  };

  return (
    <>
      <Modal
        opened={!conflict}
        onClose={onClose}
        title={interaction ? 'Edit interaction' : 'Log interaction'}
        size="lg"
        centered
      >
        <form noValidate onSubmit={form.onSubmit((values) => save(values))}>
          <Stack gap="sm">
            <Group grow align="flex-start">
              <Select
                label="Type"
                data={typeOptions}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
                {...form.getInputProps('interaction_type')}
              />
              <DateTimePicker
                label="Occurred at"
                leftSection={<IconClock size={16} aria-hidden />}
                valueFormat={valueFormat}
                popoverProps={{ withinPortal: true }}
                {...form.getInputProps('occurred_at')}
              />
            </Group>
            <TextInput
              label="Subject"
              required
              maxLength={200}
              data-autofocus
              {...form.getInputProps('subject')}
            />
            <Textarea label="Description" rows={4} {...form.getInputProps('description')} />
            <TextInput
              label="Outcome"
              placeholder="e.g. agreed to a replacement"
              maxLength={2000}
              {...form.getInputProps('outcome')}
            />
            <DateTimePicker
              label="Follow-up"
              description="Creates a task for you"
              placeholder="No follow-up"
              leftSection={<IconCalendarEvent size={16} aria-hidden />}
              valueFormat={valueFormat}
              clearable
              presets={presets}
              popoverProps={{ withinPortal: true }}
              {...form.getInputProps('follow_up_date')}
            />
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending || update.isPending}>
                {interaction ? 'Save interaction' : 'Log interaction'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <VersionConflictModal
        what="interaction"
        updatedAt={conflict?.updated_at ?? null}
        saving={update.isPending}
        onClose={() => setConflict(null)}
        onReload={() => {
          if (!conflict) return;
          form.setValues(valuesOf(conflict));
          form.resetDirty();
          setBase(conflict);
          setConflict(null);
          invalidateInteractionQueries(queryClient, conflict, false);
        }}
        onOverwrite={() => {
          if (conflict) save(form.getValues(), conflict.version);
        }}
      />
    </>
  );
}
