import { ActionIcon, Button, Divider, Group, Radio, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect } from 'react';
import { z } from 'zod';
import {
  type Customer,
  customerAddressSchema,
  customerEmailSchema,
  customerPhoneSchema,
} from '../../../../shared/customers.js';
import { emptyToNull, zodErrors } from '../../../lib/zod-form.js';
import type { CustomerChanges } from './use-save-customer.js';

interface EmailValue {
  id?: string;
  email: string;
  label: string;
  is_primary: boolean;
}
interface PhoneValue {
  id?: string;
  phone: string;
  label: string;
  is_primary: boolean;
}
interface AddressValue {
  id?: string;
  label: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  is_primary: boolean;
}
export interface ContactFormValues {
  emails: EmailValue[];
  phones: PhoneValue[];
  addresses: AddressValue[];
}

const contactSchema = z.object({
  emails: z.array(customerEmailSchema).max(20),
  phones: z.array(customerPhoneSchema).max(20),
  addresses: z.array(customerAddressSchema).max(20),
});

export function contactValuesFrom(customer: Customer): ContactFormValues {
  return {
    emails: customer.emails.map((e) => ({
      id: e.id,
      email: e.email,
      label: e.label ?? '',
      is_primary: e.is_primary,
    })),
    phones: customer.phones.map((p) => ({
      id: p.id,
      phone: p.phone,
      label: p.label ?? '',
      is_primary: p.is_primary,
    })),
    addresses: customer.addresses.map((a) => ({
      id: a.id,
      label: a.label ?? '',
      line1: a.line1,
      line2: a.line2 ?? '',
      city: a.city,
      region: a.region ?? '',
      postal_code: a.postal_code ?? '',
      country: a.country,
      is_primary: a.is_primary,
    })),
  };
}

/** Exactly one primary per non-empty list (the first, when none was chosen). */
function withOnePrimary<T extends { is_primary: boolean }>(items: T[]): T[] {
  const chosen = Math.max(
    0,
    items.findIndex((i) => i.is_primary),
  );
  return items.map((item, index) => ({ ...item, is_primary: index === chosen }));
}

export function contactChanges(values: ContactFormValues): CustomerChanges {
  return {
    emails: withOnePrimary(values.emails).map((e) => ({
      ...e,
      email: e.email.trim(),
      label: emptyToNull(e.label),
    })),
    phones: withOnePrimary(values.phones).map((p) => ({
      ...p,
      phone: p.phone.trim(),
      label: emptyToNull(p.label),
    })),
    addresses: withOnePrimary(values.addresses).map((a) => ({
      ...a,
      label: emptyToNull(a.label),
      line1: a.line1.trim(),
      line2: emptyToNull(a.line2),
      city: a.city.trim(),
      region: emptyToNull(a.region),
      postal_code: emptyToNull(a.postal_code),
      country: a.country.trim().toUpperCase(),
    })),
  };
}

function onlyPrimary<T extends { is_primary: boolean }>(items: T[], index: number): T[] {
  return items.map((item, i) => ({ ...item, is_primary: i === index }));
}

function SectionTitle({
  children,
  onAdd,
  addLabel,
}: {
  children: string;
  onAdd: () => void;
  addLabel: string;
}) {
  return (
    <Group justify="space-between">
      <Text fw={600} size="sm">
        {children}
      </Text>
      <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={onAdd}>
        {addLabel}
      </Button>
    </Group>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color="red" aria-label={label} onClick={onClick} mt={26}>
        <IconTrash size={16} />
      </ActionIcon>
    </Tooltip>
  );
}

export function ContactDetailsForm({
  initialValues,
  saving,
  onSubmit,
  onCancel,
  serverErrors,
}: {
  initialValues: ContactFormValues;
  saving: boolean;
  onSubmit: (values: ContactFormValues) => void;
  onCancel: () => void;
  /** Field errors the server returned for the last save. */
  serverErrors?: Record<string, string> | null;
}) {
  const form = useForm<ContactFormValues>({
    initialValues,
    validate: (values) => zodErrors(contactSchema, values),
  });

  const { setErrors } = form;
  useEffect(() => {
    if (serverErrors) setErrors(serverErrors);
  }, [serverErrors, setErrors]);

  const setPrimary = (list: 'emails' | 'phones' | 'addresses', index: number) => {
    const values = form.getValues();
    if (list === 'emails') form.setFieldValue('emails', onlyPrimary(values.emails, index));
    else if (list === 'phones') form.setFieldValue('phones', onlyPrimary(values.phones, index));
    else form.setFieldValue('addresses', onlyPrimary(values.addresses, index));
  };

  return (
    <form onSubmit={form.onSubmit(onSubmit)} noValidate aria-label="Contact details">
      <Stack gap="md">
        <SectionTitle
          addLabel="Add email"
          onAdd={() =>
            form.insertListItem('emails', {
              email: '',
              label: '',
              is_primary: form.getValues().emails.length === 0,
            })
          }
        >
          Emails
        </SectionTitle>
        {form.getValues().emails.length === 0 ? (
          <Text size="sm" c="dimmed">
            No email addresses.
          </Text>
        ) : null}
        {form.getValues().emails.map((item, index) => (
          <Group key={item.id ?? `new-email-${index}`} align="flex-start" gap="sm">
            <TextInput
              label={`Email ${index + 1}`}
              type="email"
              required
              style={{ flex: '2 1 220px' }}
              {...form.getInputProps(`emails.${index}.email`)}
            />
            <TextInput
              label="Label"
              placeholder="Work"
              style={{ flex: '1 1 120px' }}
              {...form.getInputProps(`emails.${index}.label`)}
            />
            <Radio
              mt={32}
              label="Primary"
              name="primary-email"
              aria-label={`Email ${index + 1} is primary`}
              checked={item.is_primary}
              onChange={() => setPrimary('emails', index)}
            />
            <RemoveButton
              label={`Remove email ${index + 1}`}
              onClick={() => form.removeListItem('emails', index)}
            />
          </Group>
        ))}

        <Divider />
        <SectionTitle
          addLabel="Add phone"
          onAdd={() =>
            form.insertListItem('phones', {
              phone: '',
              label: '',
              is_primary: form.getValues().phones.length === 0,
            })
          }
        >
          Phones
        </SectionTitle>
        {form.getValues().phones.length === 0 ? (
          <Text size="sm" c="dimmed">
            No phone numbers.
          </Text>
        ) : null}
        {form.getValues().phones.map((item, index) => (
          <Group key={item.id ?? `new-phone-${index}`} align="flex-start" gap="sm">
            <TextInput
              label={`Phone ${index + 1}`}
              type="tel"
              required
              style={{ flex: '2 1 220px' }}
              {...form.getInputProps(`phones.${index}.phone`)}
            />
            <TextInput
              label="Label"
              placeholder="Mobile"
              style={{ flex: '1 1 120px' }}
              {...form.getInputProps(`phones.${index}.label`)}
            />
            <Radio
              mt={32}
              label="Primary"
              name="primary-phone"
              aria-label={`Phone ${index + 1} is primary`}
              checked={item.is_primary}
              onChange={() => setPrimary('phones', index)}
            />
            <RemoveButton
              label={`Remove phone ${index + 1}`}
              onClick={() => form.removeListItem('phones', index)}
            />
          </Group>
        ))}

        <Divider />
        <SectionTitle
          addLabel="Add address"
          onAdd={() =>
            form.insertListItem('addresses', {
              label: '',
              line1: '',
              line2: '',
              city: '',
              region: '',
              postal_code: '',
              country: '',
              is_primary: form.getValues().addresses.length === 0,
            })
          }
        >
          Addresses
        </SectionTitle>
        {form.getValues().addresses.length === 0 ? (
          <Text size="sm" c="dimmed">
            No addresses.
          </Text>
        ) : null}
        {form.getValues().addresses.map((item, index) => (
          <Stack key={item.id ?? `new-address-${index}`} gap="xs">
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                Address {index + 1}
              </Text>
              <Group gap="sm">
                <Radio
                  label="Primary"
                  name="primary-address"
                  aria-label={`Address ${index + 1} is primary`}
                  checked={item.is_primary}
                  onChange={() => setPrimary('addresses', index)}
                />
                <Tooltip label={`Remove address ${index + 1}`}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove address ${index + 1}`}
                    onClick={() => form.removeListItem('addresses', index)}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
            <Group grow align="flex-start">
              <TextInput label="Street" required {...form.getInputProps(`addresses.${index}.line1`)} />
              <TextInput label="Street, line 2" {...form.getInputProps(`addresses.${index}.line2`)} />
            </Group>
            <Group grow align="flex-start">
              <TextInput label="City" required {...form.getInputProps(`addresses.${index}.city`)} />
              <TextInput label="Region" {...form.getInputProps(`addresses.${index}.region`)} />
            </Group>
            <Group grow align="flex-start">
              <TextInput label="Postal code" {...form.getInputProps(`addresses.${index}.postal_code`)} />
              <TextInput
                label="Country"
                description="Two letters, e.g. US"
                required
                maxLength={2}
                {...form.getInputProps(`addresses.${index}.country`)}
              />
              <TextInput
                label="Label"
                placeholder="Shipping"
                {...form.getInputProps(`addresses.${index}.label`)}
              />
            </Group>
          </Stack>
        ))}

        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Save contact details
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
