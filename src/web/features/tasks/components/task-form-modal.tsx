import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { type Task, type TaskCreate, taskCreateSchema } from '../../../../shared/tasks.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useMe } from '../../auth/api/get-me.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { useCreateTask } from '../api/create-task.js';
import { useUpdateTask } from '../api/update-task.js';
import { isoToPicker, type PickerValue, pickerToIso } from '../../../lib/picker-dates.js';
import { reminderError } from '../task-dates.js';
import { CustomerPicker, type PickedCustomer } from '../../customers/components/customer-picker.js';
import { TaskDateFields } from './task-date-fields.js';

export interface TaskFormValues {
  title: string;
  description: string;
  customer_id: PickedCustomer | null;
  assignee_id: string | null;
  due_at: PickerValue;
  remind_at: PickerValue;
}

function valuesOf(task: Task): TaskFormValues {
  return {
    title: task.title,
    description: task.description ?? '',
    customer_id: task.customer,
    assignee_id: task.assignee?.id ?? null,
    due_at: isoToPicker(task.due_at),
    remind_at: isoToPicker(task.remind_at),
  };
}

function toBody(values: TaskFormValues): TaskCreate {
  return {
    title: values.title,
    description: values.description.trim() || null,
    customer_id: values.customer_id?.id ?? null,
    assignee_id: values.assignee_id,
    due_at: pickerToIso(values.due_at),
    remind_at: pickerToIso(values.remind_at),
  };
}

function validate(values: TaskFormValues): Record<string, string> {
  const errors = zodErrors(taskCreateSchema, toBody(values));
  const reminder = reminderError(values.due_at, values.remind_at);
  if (reminder) errors.remind_at ??= reminder;
  return errors;
}

/**
 * Create a task, or edit `task`. With `customer` the task is about that customer and the picker is
 * hidden (the customer's own tab). A stale edit opens the version conflict dialog.
 */
export function TaskFormModal({
  opened,
  onClose,
  task,
  customer,
}: {
  opened: boolean;
  onClose: () => void;
  task?: Task;
  customer?: PickedCustomer;
}) {
  const me = useMe();
  const staff = useStaffDirectory(opened);
  const create = useCreateTask();
  const update = useUpdateTask();
  // the version this edit is based on: the task as opened, or theirs after "Reload"
  const [base, setBase] = useState(task);
  const [conflict, setConflict] = useState<Task | null>(null);
  const form = useForm<TaskFormValues>({
    initialValues: task
      ? valuesOf(task)
      : {
          title: '',
          description: '',
          customer_id: customer ?? null,
          assignee_id: me.data?.id ?? null,
          due_at: null,
          remind_at: null,
        },
    validate,
  });

  const close = () => {
    setConflict(null);
    onClose();
  };
  const onError = (error: unknown) => {
    if (isApiError(error, 409) && error.current) {
      setConflict(error.current as Task);
      return;
    }
    if (isApiError(error)) form.setErrors(error.fieldErrors);
    notifyError(error, task ? 'Could not save the task' : 'Could not create the task');
  };
  const save = (values: TaskFormValues, version?: number) => {
    const body = toBody(values);
    if (base) {
      update.mutate(
        {
          id: base.id,
          body: { ...body, version: version ?? base.version },
          previousCustomerId: base.customer?.id,
        },
        {
          onSuccess: (saved) => {
            notifySuccess(`Task “${saved.title}” saved`);
            close();
          },
          onError,
        },
      );
    } else {
      create.mutate(body, {
        onSuccess: (saved) => {
          notifySuccess(`Task “${saved.title}” created`);
          close();
        },
        onError,
      });
    }
  };

  const staffOptions = (staff.data ?? []).map((s) => ({ value: s.id, label: s.name ?? s.email }));
  if (task?.assignee && !staffOptions.some((o) => o.value === task.assignee?.id)) {
    staffOptions.push({ value: task.assignee.id, label: task.assignee.name ?? 'Former staff' });
  }

  return (
    <>
      <Modal
        opened={opened && !conflict}
        onClose={close}
        title={task ? 'Edit task' : 'New task'}
        size="lg"
        centered
      >
        <form noValidate onSubmit={form.onSubmit((values) => save(values))}>
          <Stack gap="sm">
            <TextInput
              label="Title"
              required
              maxLength={200}
              data-autofocus
              {...form.getInputProps('title')}
            />
            <Textarea label="Description" rows={3} {...form.getInputProps('description')} />
            {customer ? null : (
              <CustomerPicker
                description="Optional: the customer this task is about"
                value={form.values.customer_id}
                onChange={(c) => form.setFieldValue('customer_id', c)}
                error={form.errors.customer_id}
              />
            )}
            <Select
              label="Assignee"
              placeholder="Unassigned"
              searchable
              clearable
              data={staffOptions}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('assignee_id')}
            />
            <TaskDateFields form={form} />
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending || update.isPending}>
                {task ? 'Save task' : 'Create task'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <VersionConflictModal
        what="task"
        updatedAt={conflict?.updated_at ?? null}
        saving={update.isPending}
        onClose={() => setConflict(null)}
        onReload={() => {
          if (!conflict) return;
          form.setValues(valuesOf(conflict));
          form.resetDirty();
          setBase(conflict);
          setConflict(null);
        }}
        onOverwrite={() => {
          if (conflict) save(form.getValues(), conflict.version);
        }}
      />
    </>
  );
}
