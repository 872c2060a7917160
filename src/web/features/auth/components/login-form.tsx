import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { type LoginBody, loginBodySchema } from '../../../../shared/auth.js';
import { isApiError } from '../../../lib/api-client.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useLogin } from '../api/login.js';

function loginErrorMessage(error: unknown): string {
  if (isApiError(error, 401)) return 'The email or password is not correct.';
  if (isApiError(error, 429)) return 'Too many sign-in attempts. Wait a minute and try again.';
  if (isApiError(error, 403)) return 'This account is disabled. Ask an administrator.';
  return 'Could not sign in. Check your connection and try again.';
}

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const login = useLogin();
  const form = useForm<LoginBody>({
    initialValues: { email: '', password: '' },
    validate: (values) => zodErrors(loginBodySchema, values),
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => login.mutate(values, { onSuccess: onSignedIn }))}
      aria-label="Sign in"
    >
      <Stack gap="md">
        {login.isError ? (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
            {loginErrorMessage(login.error)}
          </Alert>
        ) : null}
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          data-autofocus
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={login.isPending} fullWidth mt="xs">
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
