import {
  Button,
  Card,
  Divider,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import { type CustomerCreate, customerCreateSchema } from '../../../../shared/customers.js';
import {
  type ContactMethod,
  type CustomerStatus,
  contactMethods,
  customerStatuses,
  type LifecycleStage,
  lifecycleStages,
} from '../../../../shared/enums.js';
import { isApiError } from '../../../lib/api-client.js';
import { humanize } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { emptyToNull, emptyToUndefined, zodErrors } from '../../../lib/zod-form.js';
import { useCreateCustomer } from '../api/create-customer.js';

interface CreateFormValues {
  first_name: string;
  last_name: string;
  company: string;
  email: string;
  phone: string;
  customer_status: CustomerStatus;
  lifecycle_stage: LifecycleStage;
  acquisition_source: string;
  preferred_contact_method: ContactMethod;
  address: {
    line1: string;
    line2: string;
    city: string;
    region: string;
    postal_code: string;
    country: string;
  };
}

const options = <T extends string>(values: readonly T[]) =>
  values.map((v) => ({ value: v, label: humanize(v) }));

const emptyAddress = (a: CreateFormValues['address']) => Object.values(a).every((v) => v.trim() === '');

function toBody(values: CreateFormValues): CustomerCreate {
  const a = values.address;
  return {
    first_name: emptyToNull(values.first_name),
    last_name: emptyToNull(values.last_name),
    company: emptyToNull(values.company),
    email: emptyToUndefined(values.email),
    phone: emptyToUndefined(values.phone),
    customer_status: values.customer_status,
    lifecycle_stage: values.lifecycle_stage,
    acquisition_source: emptyToNull(values.acquisition_source),
    preferred_contact_method: values.preferred_contact_method,
    addresses: emptyAddress(a)
      ? undefined
      : [
          {
            line1: a.line1.trim(),
            line2: emptyToNull(a.line2),
            city: a.city.trim(),
            region: emptyToNull(a.region),
            postal_code: emptyToNull(a.postal_code),
            country: a.country.trim().toUpperCase(),
            is_primary: true,
            label: null,
          },
        ],
  };
}

function validate(values: CreateFormValues): Record<string, string> {
  const errors = zodErrors(customerCreateSchema, toBody(values));
  // Address errors come back as addresses.0.x; the form shows them on address.x.
  const mapped: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    mapped[path.replace(/^addresses\.0\./, 'address.')] = message;
  }
  if (
    !values.first_name.trim() &&
    !values.last_name.trim() &&
    !values.company.trim() &&
    !values.email.trim()
  ) {
    mapped.first_name ??= 'Give at least a name, a company or an email';
  }
  return mapped;
}

export function CustomerCreateForm() {
  const navigate = useNavigate();
  const create = useCreateCustomer();
  const form = useForm<CreateFormValues>({
    initialValues: {
      first_name: '',
      last_name: '',
      company: '',
      email: '',
      phone: '',
      customer_status: 'prospect',
      lifecycle_stage: 'lead',
      acquisition_source: '',
      preferred_contact_method: 'email',
      address: { line1: '', line2: '', city: '', region: '', postal_code: '', country: '' },
    },
    validate,
  });

  const submit = (values: CreateFormValues) =>
    create.mutate(toBody(values), {
      onSuccess: (customer) => {
        notifySuccess('Customer created');
        navigate(`/customers/${customer.id}`);
      },
      onError: (error) => {
        if (isApiError(error, 409)) {
          form.setFieldError('email', error.fieldErrors.email ?? 'A customer with this email already exists');
          return;
        }
        if (isApiError(error)) {
          const fields = error.fieldErrors;
          for (const [path, message] of Object.entries(fields)) {
            form.setFieldError(path.replace(/^addresses\.0\./, 'address.'), message);
          }
        }
        notifyError(error, 'Could not create the customer');
      },
    });

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label="New customer">
      <Stack gap="md" maw={880}>
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb="md">
            Person
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="First name"
              autoComplete="off"
              data-autofocus
              {...form.getInputProps('first_name')}
            />
            <TextInput label="Last name" autoComplete="off" {...form.getInputProps('last_name')} />
            <TextInput label="Email" type="email" autoComplete="off" {...form.getInputProps('email')} />
            <TextInput label="Phone" type="tel" autoComplete="off" {...form.getInputProps('phone')} />
            <TextInput label="Company" autoComplete="off" {...form.getInputProps('company')} />
          </SimpleGrid>
        </Card>
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb="md">
            Profile
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
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
              placeholder="e.g. referral"
              {...form.getInputProps('acquisition_source')}
            />
          </SimpleGrid>
        </Card>
        <Card withBorder padding="lg">
          <Title order={2} size="h4">
            Address
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Optional. Leave empty to add it later.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Street" {...form.getInputProps('address.line1')} />
            <TextInput label="Street, line 2" {...form.getInputProps('address.line2')} />
            <TextInput label="City" {...form.getInputProps('address.city')} />
            <TextInput label="Region" {...form.getInputProps('address.region')} />
            <TextInput label="Postal code" {...form.getInputProps('address.postal_code')} />
            <TextInput
              label="Country"
              description="Two letters, e.g. US"
              maxLength={2}
              {...form.getInputProps('address.country')}
            />
          </SimpleGrid>
        </Card>
        <Divider />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => navigate(-1)}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create customer
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
