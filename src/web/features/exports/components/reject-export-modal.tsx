import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Export } from '../../../../shared/exports.js';
import { exportRejectSchema } from '../../../../shared/exports.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useRejectExport } from '../api/reject-export.js';
import { ExportSummary } from './use-export-actions.js';

function RejectForm({ exp, onClose }: { exp: Export; onClose: () => void }) {
  const reject = useRejectExport();
  const form = useForm({
    initialValues: { reason: '' },
    validate: (values) => zodErrors(exportRejectSchema, values),
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ reason }) =>
        reject.mutate(
          { id: exp.id, reason: reason.trim() },
          {
            onSuccess: () => {
              notifySuccess(`Export “${exp.title}” rejected`);
              onClose();
            },
            onError: (error) => {
              if (isApiError(error)) form.setErrors(error.fieldErrors);
              notifyError(error, 'Could not reject the export');
            },
          },
        ),
      )}
    >
      <Stack gap="md">
        <ExportSummary exp={exp} />
        <Textarea
          label="Reason"
          description="Shown to the requester and kept in the audit log"
          required
          rows={3}
          maxLength={500}
          data-autofocus
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red.9" loading={reject.isPending}>
            Reject export
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Refuse another person's export, saying why. */
export function RejectExportModal({ exp, onClose }: { exp: Export | null; onClose: () => void }) {
  return (
    <Modal opened={exp !== null} onClose={onClose} title="Reject this export?" centered>
      {exp ? <RejectForm key={exp.id} exp={exp} onClose={onClose} /> : null}
    </Modal>
  );
}
