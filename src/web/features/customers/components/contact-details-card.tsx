import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconMail, IconMapPin, IconPencil, IconPhone } from '@tabler/icons-react';
import { useState } from 'react';
import type { Customer } from '../../../../shared/customers.js';
import { ConflictModal } from './conflict-modal.js';
import { ContactDetailsForm, contactChanges, contactValuesFrom } from './contact-details-form.js';
import { useSaveCustomer } from './use-save-customer.js';

function PrimaryBadge() {
  return (
    <Badge size="xs" variant="light" color="indigo">
      Primary
    </Badge>
  );
}

function ContactLine({ icon, children }: { icon: React.ReactNode; children: React.ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Text c="dimmed" mt={2} aria-hidden>
        {icon}
      </Text>
      <div style={{ minWidth: 0 }}>{children}</div>
    </Group>
  );
}

function ContactDetailsView({ customer }: { customer: Customer }) {
  const { emails, phones, addresses } = customer;
  if (emails.length + phones.length + addresses.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No contact details yet.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {emails.map((e) => (
        <ContactLine key={e.id} icon={<IconMail size={16} />}>
          <Group gap={6}>
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              {e.email}
            </Text>
            {e.label ? (
              <Text size="xs" c="dimmed">
                {e.label}
              </Text>
            ) : null}
            {e.is_primary ? <PrimaryBadge /> : null}
          </Group>
        </ContactLine>
      ))}
      {phones.map((p) => (
        <ContactLine key={p.id} icon={<IconPhone size={16} />}>
          <Group gap={6}>
            <Text size="sm">{p.phone}</Text>
            {p.label ? (
              <Text size="xs" c="dimmed">
                {p.label}
              </Text>
            ) : null}
            {p.is_primary ? <PrimaryBadge /> : null}
          </Group>
        </ContactLine>
      ))}
      {addresses.map((a) => (
        <ContactLine key={a.id} icon={<IconMapPin size={16} />}>
          <Group gap={6} align="flex-start">
            <Text size="sm">
              {a.line1}
              {a.line2 ? `, ${a.line2}` : ''}
              <br />
              {[a.postal_code, a.city].filter(Boolean).join(' ')}
              {a.region ? `, ${a.region}` : ''} · {a.country}
            </Text>
            {a.label ? (
              <Text size="xs" c="dimmed">
                {a.label}
              </Text>
            ) : null}
            {a.is_primary ? <PrimaryBadge /> : null}
          </Group>
        </ContactLine>
      ))}
    </Stack>
  );
}

export function ContactDetailsCard({ customer, canEdit }: { customer: Customer; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string> | null>(null);
  const saver = useSaveCustomer(customer);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="contact-details-title">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="contact-details-title">
          Contact details
        </Title>
        {canEdit && !editing ? (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPencil size={14} />}
            onClick={() => {
              setServerErrors(null);
              setEditing(true);
            }}
          >
            Edit contact details
          </Button>
        ) : null}
      </Group>
      {editing ? (
        <ContactDetailsForm
          initialValues={contactValuesFrom(customer)}
          saving={saver.saving}
          serverErrors={serverErrors}
          onCancel={() => setEditing(false)}
          onSubmit={(values) =>
            saver.save(contactChanges(values), {
              onSaved: () => setEditing(false),
              onFieldErrors: setServerErrors,
            })
          }
        />
      ) : (
        <ContactDetailsView customer={customer} />
      )}
      <ConflictModal
        conflict={saver.conflict}
        saving={saver.saving}
        onReload={saver.reload}
        onOverwrite={saver.overwrite}
        onClose={saver.dismiss}
      />
    </Card>
  );
}
