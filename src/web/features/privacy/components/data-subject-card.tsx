import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconEraser, IconFileDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { Customer } from '../../../../shared/customers.js';
import { displayName, formatDateTime } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useDownloadCustomerData } from '../api/download-customer-data.js';
import { EraseCustomerModal } from './erase-customer-modal.js';

/**
 * Data-subject requests on a profile (privacy:manage only): everything held about the person as
 * JSON, and erasure. Nothing at all for other roles.
 */
export function DataSubjectCard({ customer }: { customer: Customer }) {
  const allowed = usePermission('privacy:manage');
  const download = useDownloadCustomerData(customer.id);
  const [erasing, setErasing] = useState(false);
  if (!allowed) return null;
  const name = displayName(customer);
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="data-subject-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="data-subject-title">
          Personal data
        </Title>
        <Text size="sm" c="dimmed">
          {customer.erased_at
            ? `Erased on ${formatDateTime(customer.erased_at)}. What remains can still be downloaded.`
            : 'Requests from the person: a copy of everything held about them, or erasure.'}
        </Text>
        <Group gap="sm">
          <Button
            variant="default"
            leftSection={<IconFileDownload size={16} aria-hidden />}
            loading={download.isPending}
            onClick={() =>
              download.mutate(undefined, {
                onSuccess: () => notifySuccess(`The data held about ${name} was downloaded`),
                onError: (error) => notifyError(error, 'Could not download the data'),
              })
            }
          >
            Download data (JSON)
          </Button>
          {customer.erased_at ? null : (
            <Button
              variant="outline"
              color="red"
              leftSection={<IconEraser size={16} aria-hidden />}
              onClick={() => setErasing(true)}
            >
              Erase personal data…
            </Button>
          )}
        </Group>
      </Stack>
      <EraseCustomerModal
        opened={erasing}
        onClose={() => setErasing(false)}
        customerId={customer.id}
        name={name}
      />
    </Card>
  );
}
