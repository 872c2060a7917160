import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { type StaffUserCreate, staffUserCreateSchema } from '../../../../shared/auth.js';
import { type StaffRole, staffRoles } from '../../../../shared/enums.js';
import { isApiError } from '../../../lib/api-client.js';
import { humanize } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { emptyToUndefined, zodErrors } from '../../../lib/zod-form.js';
import { useCreateUser } from '../api/create-user.js';

interface Values {
  name: string;
  email: string;
  password: string;
  role: StaffRole;
}

export const roleOptions = staffRoles.map((r) => ({ value: r, label: humanize(r) }));

function toBody(values: Values): StaffUserCreate {
  return {
    email: values.email.trim(),
    password: values.password,
    role: values.role,
    name: emptyToUndefined(values.name),
  };
}

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateUser();
  const form = useForm<Values>({
    initialValues: { name: '', email: '', password: '', role: 'agent' },
    validate: (values) => zodErrors(staffUserCreateSchema, toBody(values)),
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Add staff user" centered>
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          create.mutate(toBody(values), {
            onSuccess: (user) => {
              notifySuccess(`${user.name ?? user.email} can now sign in`, 'User added');
              close();
            },
            onError: (error) => {
              if (isApiError(error, 409)) {
                form.setFieldError('email', 'A user with this email already exists');
                return;
              }
              if (isApiError(error)) form.setErrors(error.fieldErrors);
              notifyError(error, 'Could not add the user');
            },
          }),
        )}
      >
        <Stack gap="sm">
          <TextInput label="Name" data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label="Email"
            type="email"
            required
            autoComplete="off"
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Initial password"
            description="At least 10 characters. Share it securely."
            required
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <Select
            label="Role"
            data={roleOptions}
            allowDeselect={false}
            required
            {...form.getInputProps('role')}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
