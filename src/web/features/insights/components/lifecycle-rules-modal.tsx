import { Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { type LifecycleRules, lifecycleRulesUpdateSchema } from '../../../../shared/lifecycle.js';
import { errorMessage } from '../../../lib/api-client.js';
import { formatCount, formatDateTime } from '../../../lib/format.js';
import { notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import {
  type LifecycleRulesResponse,
  useLifecycleRules,
  useUpdateLifecycleRules,
} from '../api/lifecycle-rules.js';

const fields: { key: keyof LifecycleRules; label: string; description: string; decimal?: boolean }[] = [
  {
    key: 'loyal_min_orders',
    label: 'Loyal from (orders)',
    description: 'Orders a customer needs to be loyal',
  },
  {
    key: 'loyal_recent_days',
    label: 'Loyal if ordered within (days)',
    description: 'And their last order is this recent',
  },
  {
    key: 'at_risk_interval_factor',
    label: 'At risk after (× usual interval)',
    description: 'Silence longer than this many of their usual gaps between orders',
    decimal: true,
  },
  {
    key: 'default_interval_days',
    label: 'Usual interval for one order (days)',
    description: 'Assumed gap for customers with a single order',
  },
  {
    key: 'at_risk_min_days',
    label: 'At risk no sooner than (days)',
    description: 'The shortest silence that counts',
  },
  {
    key: 'lost_after_days',
    label: 'Lost after (days)',
    description: 'Days without an order before a customer is lost',
  },
];

function RulesForm({ rules, onClose }: { rules: LifecycleRulesResponse; onClose: () => void }) {
  const [values, setValues] = useState<LifecycleRules>(() => {
    const { updated_at: _at, updated_by: _by, ...rest } = rules;
    return rest;
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useUpdateLifecycleRules();

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const found = zodErrors(lifecycleRulesUpdateSchema, values);
        setErrors(found);
        if (Object.keys(found).length > 0) return;
        save.mutate(values, {
          onSuccess: (result) => {
            notifySuccess(
              `${formatCount(result.changed)} ${result.changed === 1 ? 'customer' : 'customers'} changed stage`,
              'Lifecycle rules saved',
            );
            onClose();
          },
          onError: (error) => setErrors({ form: errorMessage(error) }),
        });
      }}
    >
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {fields.map((f) => (
            <NumberInput
              key={f.key}
              label={f.label}
              description={f.description}
              value={values[f.key]}
              decimalScale={f.decimal ? 2 : 0}
              allowNegative={false}
              min={1}
              error={errors[f.key]}
              onChange={(v) =>
                setValues((current) => ({ ...current, [f.key]: typeof v === 'number' ? v : Number(v) }))
              }
            />
          ))}
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          Last changed {formatDateTime(rules.updated_at)}. Saving re-evaluates every customer whose stage was
          not set by hand.
        </Text>
        {errors.form ? (
          <Text c="red" size="sm" role="alert">
            {errors.form}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save rules
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The rules that set lifecycle stages, for those who may change settings. */
export function LifecycleRulesModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const rules = useLifecycleRules(opened);
  return (
    <Modal opened={opened} onClose={onClose} title="Lifecycle rules" size="lg">
      {rules.data ? (
        <RulesForm rules={rules.data} onClose={onClose} />
      ) : rules.isError ? (
        <Text c="red">{errorMessage(rules.error)}</Text>
      ) : (
        <Text c="dimmed">Loading rules…</Text>
      )}
    </Modal>
  );
}
