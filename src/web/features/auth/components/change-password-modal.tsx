import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { passwordChangeSchema } from '../../../../shared/auth.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useChangePassword } from '../api/change-password.js';

interface Values {
  current_password: string;
  new_password: string;
  confirm: string;
}

function validate(values: Values): Record<string, string> {
  const errors = zodErrors(passwordChangeSchema, values);
  if (!errors.confirm && values.confirm !== values.new_password)
    errors.confirm = 'The two new passwords differ';
  return errors;
}

/** The signed-in user's own password; their sessions elsewhere end when it changes. */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const change = useChangePassword();
  const form = useForm<Values>({
    initialValues: { current_password: '', new_password: '', confirm: '' },
    validate,
  });
  const close = () => {
    form.reset();
    change.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Change password" centered>
      <form
        noValidate
        onSubmit={form.onSubmit(({ current_password, new_password }) =>
          change.mutate(
            { current_password, new_password },
            {
              onSuccess: () => {
                notifySuccess('Your other sessions have been signed out', 'Password changed');
                close();
              },
              onError: (error) => {
                if (isApiError(error)) form.setErrors(error.fieldErrors);
                else notifyError(error, 'Could not change the password');
              },
            },
          ),
        )}
      >
        <Stack>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('current_password')}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            {...form.getInputProps('new_password')}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            {...form.getInputProps('confirm')}
          />
          <Text size="xs" c="dimmed">
            At least 10 characters.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
