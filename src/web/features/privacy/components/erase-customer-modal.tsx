import {
  Alert,
  Button,
  Group,
  List,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { ERASE_CONFIRMATION } from '../../../../shared/privacy.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useEraseCustomer } from '../api/erase-customer.js';

const removed = [
  'Names, company, emails, phones and addresses',
  'Notes, interactions, tickets and tasks (their text)',
  'Email addresses, subjects and bodies; tracked links',
  'Tags, hand-picked segment memberships and timeline text',
];

const kept = [
  'Orders with their items, amounts and dates, for accounting',
  'Value metrics (lifetime value, order count)',
  'Email delivery counts and times, without content',
  'The audit log entry saying who erased it and why',
];

function Column({ title, items }: { title: string; items: string[] }) {
  return (
    <Stack gap={4}>
      <Title order={3} size="h6">
        {title}
      </Title>
      <List size="sm" spacing={2}>
        {items.map((item) => (
          <List.Item key={item}>{item}</List.Item>
        ))}
      </List>
    </Stack>
  );
}

function EraseForm({ customerId, name, onClose }: { customerId: string; name: string; onClose: () => void }) {
  const erase = useEraseCustomer(customerId);
  const [confirm, setConfirm] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const confirmed = confirm.trim() === ERASE_CONFIRMATION;

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!confirmed) {
          setError(`Type ${ERASE_CONFIRMATION} to confirm`);
          return;
        }
        erase.mutate(
          { confirm: ERASE_CONFIRMATION, ...(reason.trim() ? { reason: reason.trim() } : {}) },
          {
            onSuccess: () => {
              notifySuccess(`The personal data of ${name} was erased`, 'Customer erased');
              onClose();
            },
            onError: (err) => {
              if (isApiError(err) && err.fieldErrors.confirm) setError(err.fieldErrors.confirm);
              notifyError(err, 'Could not erase the customer');
            },
          },
        );
      }}
    >
      <Stack gap="md">
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="This cannot be undone">
          {name} will be anonymised for good. Their email addresses are remembered only as a fingerprint, so
          an import or a new order does not bring them back.
        </Alert>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Column title="Removed" items={removed} />
          <Column title="Kept" items={kept} />
        </SimpleGrid>
        <Textarea
          label="Reason"
          description="Optional: the request's reference, say. Kept in the audit log."
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <TextInput
          label={
            <>
              Type{' '}
              <Text span ff="monospace" fw={700}>
                {ERASE_CONFIRMATION}
              </Text>{' '}
              to confirm
            </>
          }
          aria-label={`Type ${ERASE_CONFIRMATION} to confirm`}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          value={confirm}
          error={error}
          onChange={(e) => {
            setConfirm(e.currentTarget.value);
            setError(null);
          }}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red.9" disabled={!confirmed} loading={erase.isPending}>
            Erase personal data
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The danger dialog for a data-subject erasure: what goes, what stays, and typing ERASE. */
export function EraseCustomerModal({
  opened,
  onClose,
  customerId,
  name,
}: {
  opened: boolean;
  onClose: () => void;
  customerId: string;
  name: string;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Erase personal data?" size="lg" centered>
      {opened ? <EraseForm customerId={customerId} name={name} onClose={onClose} /> : null}
    </Modal>
  );
}
