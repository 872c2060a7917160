import { Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { type Customer, customerUpdateSchema } from '../../../../shared/customers.js';
import {
  type ContactMethod,
  type CustomerStatus,
  contactMethods,
  customerStatuses,
  type LifecycleStage,
  lifecycleStages,
} from '../../../../shared/enums.js';
import { displayName, formatDate, humanize } from '../../../lib/format.js';
import { emptyToNull, zodErrors } from '../../../lib/zod-form.js';
import { useMe } from '../../auth/api/get-me.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { ConflictModal } from './conflict-modal.js';
import { type CustomerChanges, useSaveCustomer } from './use-save-customer.js';

interface ProfileFormValues {
  first_name: string;
  last_name: string;
  company: string;
  customer_status: CustomerStatus;
  lifecycle_stage: LifecycleStage;
  acquisition_source: string;
  preferred_contact_method: ContactMethod;
  owner_id: string | null;
}

const profileSchema = customerUpdateSchema
  .pick({
    first_name: true,
    last_name: true,
    company: true,
    customer_status: true,
    lifecycle_stage: true,
    acquisition_source: true,
    preferred_contact_method: true,
  })
  .extend({ owner_id: z.string().nullable() });

const options = <T extends string>(values: readonly T[]) =>
  values.map((v) => ({ value: v, label: humanize(v) }));

function valuesFrom(customer: Customer): ProfileFormValues {
  return {
    first_name: customer.first_name ?? '',
    last_name: customer.last_name ?? '',
    company: customer.company ?? '',
    customer_status: customer.customer_status,
    lifecycle_stage: customer.lifecycle_stage,
    acquisition_source: customer.acquisition_source ?? '',
    preferred_contact_method: customer.preferred_contact_method,
    owner_id: customer.owner?.id ?? null,
  };
}

function changesFrom(values: ProfileFormValues): CustomerChanges {
  return {
    first_name: emptyToNull(values.first_name),
    last_name: emptyToNull(values.last_name),
    company: emptyToNull(values.company),
    customer_status: values.customer_status,
    lifecycle_stage: values.lifecycle_stage,
    acquisition_source: emptyToNull(values.acquisition_source),
    preferred_contact_method: values.preferred_contact_method,
    owner_id: values.owner_id,
  };
}

/** Owner choices: me first, the current owner, then every active staff user. */
function useOwnerChoices(customer: Customer) {
  const users = useStaffDirectory();
  const { data: me } = useMe();
  const choices = new Map<string, string>();
  if (me) choices.set(me.id, `${me.name ?? me.email} (me)`);
  if (customer.owner) choices.set(customer.owner.id, customer.owner.name ?? customer.owner.email);
  for (const u of users.data ?? []) {
    if (!choices.has(u.id)) choices.set(u.id, u.name ?? u.email);
  }
  return [...choices].map(([value, label]) => ({ value, label }));
}

function ProfileForm({
  customer,
  saving,
  serverErrors,
  onSubmit,
  onCancel,
}: {
  customer: Customer;
  saving: boolean;
  serverErrors: Record<string, string> | null;
  onSubmit: (values: ProfileFormValues) => void;
  onCancel: () => void;
}) {
  const form = useForm<ProfileFormValues>({
    initialValues: valuesFrom(customer),
    validate: (values) => zodErrors(profileSchema, values),
  });
  const ownerChoices = useOwnerChoices(customer);
  const { setErrors } = form;
  useEffect(() => {
    if (serverErrors) setErrors(serverErrors);
  }, [serverErrors, setErrors]);

  return (
    <form onSubmit={form.onSubmit(onSubmit)} noValidate aria-label="Profile">
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="First name" {...form.getInputProps('first_name')} />
          <TextInput label="Last name" {...form.getInputProps('last_name')} />
          <TextInput label="Company" {...form.getInputProps('company')} />
          <Select
            label="Status"
            data={options(customerStatuses)}
            allowDeselect={false}
            {...form.getInputProps('customer_status')}
          />
          <Select
            label="Lifecycle stage"
            data={options(lifecycleStages)}
            allowDeselect={false}
            {...form.getInputProps('lifecycle_stage')}
          />
          <Select
            label="Preferred contact"
            data={options(contactMethods)}
            allowDeselect={false}
            {...form.getInputProps('preferred_contact_method')}
          />
          <TextInput
            label="Acquisition source"
            placeholder="e.g. google_ads"
            {...form.getInputProps('acquisition_source')}
          />
          <Select
            label="Owner"
            placeholder="Unassigned"
            data={ownerChoices}
            clearable
            searchable
            {...form.getInputProps('owner_id')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

function ProfileView({ customer }: { customer: Customer }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} component="dl" m={0} spacing="md">
      <Field label="Name">{displayName({ ...customer, email: null, company: null })}</Field>
      <Field label="Company">{customer.company ?? '—'}</Field>
      <Field label="Status">{humanize(customer.customer_status)}</Field>
      <Field label="Lifecycle stage">{humanize(customer.lifecycle_stage)}</Field>
      <Field label="Preferred contact">{humanize(customer.preferred_contact_method)}</Field>
      <Field label="Acquisition source">
        {customer.acquisition_source ? humanize(customer.acquisition_source) : '—'}
      </Field>
      <Field label="Acquired">{formatDate(customer.acquisition_date)}</Field>
      <Field label="Owner">
        {customer.owner ? (customer.owner.name ?? customer.owner.email) : 'Unassigned'}
      </Field>
      <Field label="Customer since">{formatDate(customer.created_at)}</Field>
    </SimpleGrid>
  );
}

export function ProfileFieldsCard({ customer, canEdit }: { customer: Customer; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string> | null>(null);
  const saver = useSaveCustomer(customer);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-title">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="profile-title">
          Profile
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
            Edit profile
          </Button>
        ) : null}
      </Group>
      {editing ? (
        <ProfileForm
          customer={customer}
          saving={saver.saving}
          serverErrors={serverErrors}
          onCancel={() => setEditing(false)}
          onSubmit={(values) =>
            saver.save(changesFrom(values), {
              onSaved: () => setEditing(false),
              onFieldErrors: setServerErrors,
            })
          }
        />
      ) : (
        <ProfileView customer={customer} />
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
