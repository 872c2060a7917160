import { Button, Group, Modal, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { ExportSchedule, ExportScheduleCreate } from '../../../../shared/exports.js';
import { LeaveUnsavedModal } from '../../../components/leave-unsaved-modal.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useCreateExportSchedule, useUpdateExportSchedule } from '../api/save-export-schedule.js';
import {
  newScheduleValues,
  type ScheduleFormValues,
  scheduleBody,
  scheduleValues,
  validateSchedule,
} from '../schedule-form.js';
import { ExportFieldPicker } from './export-field-picker.js';
import { ExportOptionsFields } from './export-options-fields.js';
import { CronField, RecipientsField, ScheduleSelectionField, TimeZoneField } from './schedule-fields.js';

const isSchedule = (value: unknown): value is ExportSchedule =>
  !!value && typeof value === 'object' && 'version' in value && 'cron' in value;

/** Server field errors use the API's names; the form calls the segment picker `segment_id`. */
function formErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, message] of Object.entries(fieldErrors)) {
    errors[key.startsWith('selection') ? 'segment_id' : key.split('.')[0]!] ??= message;
  }
  return errors;
}

/**
 * Create a scheduled export, or edit `schedule` (a stale edit opens the version conflict dialog);
 * closing with unsaved changes asks first. Mounted only while open.
 */
export function ScheduleFormModal({ schedule, onClose }: { schedule?: ExportSchedule; onClose: () => void }) {
  const create = useCreateExportSchedule();
  const update = useUpdateExportSchedule();
  // the schedule this edit is based on: as opened, or theirs after "Reload"
  const [base, setBase] = useState(schedule);
  const [conflict, setConflict] = useState<ExportSchedule | null>(null);
  const [leaving, setLeaving] = useState(false);
  const form = useForm<ScheduleFormValues>({
    initialValues: schedule ? scheduleValues(schedule) : newScheduleValues(),
    validate: validateSchedule,
  });

  const onError = (error: unknown) => {
    if (isApiError(error, 409) && isSchedule(error.current)) {
      setConflict(error.current);
      return;
    }
    if (isApiError(error)) form.setErrors(formErrors(error.fieldErrors));
    notifyError(error, base ? 'Could not save the schedule' : 'Could not create the schedule');
  };
  const save = (values: ScheduleFormValues, version?: number) => {
    const body = scheduleBody(values);
    if (base) {
      update.mutate(
        { id: base.id, body: { ...body, version: version ?? base.version } },
        {
          onSuccess: (saved) => {
            notifySuccess(`Schedule “${saved.name}” saved`);
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate({ ...body, selection: body.selection ?? { all: true } } as ExportScheduleCreate, {
        onSuccess: (saved) => {
          notifySuccess(`Schedule “${saved.name}” created: ${saved.cron_description}`);
          onClose();
        },
        onError,
      });
    }
  };
  const close = () => (form.isDirty() ? setLeaving(true) : onClose());

  return (
    <>
      <Modal opened onClose={close} title={schedule ? 'Edit schedule' : 'New schedule'} size="xl" centered>
        <form noValidate onSubmit={form.onSubmit((values) => save(values))}>
          <Stack gap="md">
            <TextInput
              label="Name"
              required
              maxLength={120}
              data-autofocus
              placeholder="Weekly VIP list"
              {...form.getInputProps('name')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <CronField form={form} />
              <TimeZoneField form={form} />
            </SimpleGrid>
            <ExportOptionsFields value={form.values} onChange={(patch) => form.setValues(patch)} />
            <ScheduleSelectionField form={form} schedule={base} />
            <ExportFieldPicker
              value={form.values.fields}
              onChange={(fields) => form.setFieldValue('fields', fields)}
              masked={new Set()}
              error={typeof form.errors.fields === 'string' ? form.errors.fields : null}
            />
            <RecipientsField form={form} schedule={base} />
            <Switch
              label="Enabled"
              description="Off: the schedule is kept but does not run"
              {...form.getInputProps('enabled', { type: 'checkbox' })}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending || update.isPending}>
                {base ? 'Save schedule' : 'Create schedule'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <LeaveUnsavedModal
        what="schedule"
        opened={leaving}
        onStay={() => setLeaving(false)}
        onLeave={() => {
          setLeaving(false);
          onClose();
        }}
      />
      <VersionConflictModal
        what="schedule"
        updatedAt={conflict?.updated_at ?? null}
        saving={update.isPending}
        onClose={() => setConflict(null)}
        onReload={() => {
          if (!conflict) return;
          const values = scheduleValues(conflict);
          form.setValues(values);
          form.resetDirty(values);
          setBase(conflict);
          setConflict(null);
        }}
        onOverwrite={() => {
          if (!conflict) return;
          setConflict(null);
          save(form.getValues(), conflict.version);
        }}
      />
    </>
  );
}
