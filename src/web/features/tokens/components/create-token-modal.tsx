import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { apiTokenCreateSchema } from '../../../../shared/auth.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { type ApiTokenCreate, useCreateToken } from '../api/create-token.js';

interface Values {
  name: string;
  expires_in_days: number | string;
}

function toBody(values: Values): ApiTokenCreate {
  const days = values.expires_in_days === '' ? undefined : Number(values.expires_in_days);
  return { name: values.name.trim(), expires_in_days: days };
}

/** Creates a token and shows its secret once, with a copy button. */
export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateToken();
  const form = useForm<Values>({
    initialValues: { name: '', expires_in_days: 90 },
    validate: (values) => zodErrors(apiTokenCreateSchema, toBody(values)),
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  const created = create.data;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Token created' : 'New API token'}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
            Copy this token now. It is shown only once and cannot be recovered.
          </Alert>
          <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} aria-label="API token">
            {created.token}
          </Code>
          <Text size="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer &lt;token&gt;</Code>.
          </Text>
          <Group justify="flex-end">
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'filled'}
                  color={copied ? 'green' : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy token'}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={close}>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit((values) =>
            create.mutate(toBody(values), {
              onError: (error) => {
                if (isApiError(error)) form.setErrors(error.fieldErrors);
                notifyError(error, 'Could not create the token');
              },
            }),
          )}
        >
          <Stack gap="sm">
            <TextInput
              label="Name"
              description="What uses this token, e.g. “Nightly order sync”"
              required
              data-autofocus
              {...form.getInputProps('name')}
            />
            <NumberInput
              label="Expires after (days)"
              description="Leave empty for a token that does not expire"
              min={1}
              max={3650}
              allowDecimal={false}
              {...form.getInputProps('expires_in_days')}
            />
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
