import { Group, MultiSelect, NumberInput, Select, TagsInput, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { useTags } from '../../tags/api/get-tags.js';
import { humanize } from '../../../lib/format.js';
import type { CriteriaFieldInfo } from '../api/get-criteria-fields.js';
import type { ValueShape } from '../criteria-tree.js';

interface ValueInputProps {
  shape: ValueShape;
  field: CriteriaFieldInfo | undefined;
  value: unknown;
  onChange: (value: unknown) => void;
  /** "Rule 2": prefixes every input's accessible name. */
  label: string;
  error?: string;
}

const grow = { flex: 1, minWidth: 0 };
const asString = (v: unknown) => (typeof v === 'string' ? v : '');
const asNumber = (v: unknown): number | string => (typeof v === 'number' ? v : '');
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
const asPair = (v: unknown): [unknown, unknown] => (Array.isArray(v) ? [v[0], v[1]] : [undefined, undefined]);
const asObject = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const toNumber = (v: number | string): number | undefined => (typeof v === 'number' ? v : undefined);
const emptyToUndefined = (v: string | null | undefined) => (v ? v : undefined);

/** Choices always include the current values, so a stored id or name still shows. */
function withCurrent(options: { value: string; label: string }[], current: string[], unknown: string) {
  const known = new Set(options.map((o) => o.value));
  return [
    ...options,
    ...current.filter((v) => !known.has(v)).map((v) => ({ value: v, label: `${v} (${unknown})` })),
  ];
}

function useOwnerOptions(enabled: boolean) {
  const staff = useStaffDirectory(enabled);
  return [
    { value: 'me', label: 'Me' },
    { value: 'none', label: 'Unassigned' },
    ...(staff.data ?? []).map((u) => ({ value: u.id, label: u.name ?? u.email })),
  ];
}

function useTagOptions(enabled: boolean, field: CriteriaFieldInfo | undefined) {
  const tags = useTags(enabled);
  const names = tags.data?.map((t) => t.name) ?? field?.values ?? [];
  return names.map((n) => ({ value: n, label: n }));
}

const purchaseKeys = [
  { value: 'any', label: 'Any product' },
  { value: 'category', label: 'Category' },
  { value: 'product_sku', label: 'SKU' },
  { value: 'product_id', label: 'Product id' },
];
type PurchaseKey = 'category' | 'product_sku' | 'product_id';
const isPurchaseKey = (k: string): k is PurchaseKey =>
  k === 'category' || k === 'product_sku' || k === 'product_id';

/** The value editor for one rule: the input suits the field's type and the chosen operator. */
export function CriteriaValueInput({ shape, field, value, onChange, label, error }: ValueInputProps) {
  const ownerOptions = useOwnerOptions(shape === 'owner' || shape === 'ownerList');
  const tagOptions = useTagOptions(shape === 'tags', field);
  const enumOptions = (field?.values ?? []).map((v) => ({ value: v, label: humanize(v) }));
  const numberBounds = {
    min: field?.min,
    max: field?.max,
    allowDecimal: !field?.integer,
    thousandSeparator: ',',
  };

  switch (shape) {
    case 'none':
      return null;
    case 'text':
      return (
        <TextInput
          aria-label={`${label} value`}
          placeholder="Value"
          value={asString(value)}
          onChange={(e) => onChange(emptyToUndefined(e.currentTarget.value))}
          error={error}
          maxLength={200}
        />
      );
    case 'textList':
      return (
        <TagsInput
          aria-label={`${label} values`}
          placeholder="Type a value, press Enter"
          value={asList(value)}
          onChange={(v) => onChange(v.length ? v : undefined)}
          error={error}
          clearable
        />
      );
    case 'number':
      return (
        <NumberInput
          aria-label={`${label} value`}
          placeholder="Number"
          value={asNumber(value)}
          onChange={(v) => onChange(toNumber(v))}
          error={error}
          {...numberBounds}
        />
      );
    case 'numberPair': {
      const [from, to] = asPair(value);
      return (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <NumberInput
            aria-label={`${label} from`}
            placeholder="From"
            style={grow}
            value={asNumber(from)}
            onChange={(v) => onChange([toNumber(v), to])}
            error={error}
            {...numberBounds}
          />
          <Text size="sm" mt={6}>
            and
          </Text>
          <NumberInput
            aria-label={`${label} to`}
            placeholder="To"
            style={grow}
            value={asNumber(to)}
            onChange={(v) => onChange([from, toNumber(v)])}
            {...numberBounds}
          />
        </Group>
      );
    }
    case 'date':
      return (
        <DateInput
          aria-label={`${label} date`}
          placeholder="YYYY-MM-DD"
          valueFormat="YYYY-MM-DD"
          value={asString(value) || null}
          onChange={(v) => onChange(emptyToUndefined(v))}
          error={error}
          clearable
        />
      );
    case 'datePair': {
      const [from, to] = asPair(value);
      return (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <DateInput
            aria-label={`${label} from`}
            placeholder="From"
            style={grow}
            valueFormat="YYYY-MM-DD"
            value={asString(from) || null}
            onChange={(v) => onChange([emptyToUndefined(v), to])}
            error={error}
          />
          <Text size="sm" mt={6}>
            and
          </Text>
          <DateInput
            aria-label={`${label} to`}
            placeholder="To"
            style={grow}
            valueFormat="YYYY-MM-DD"
            value={asString(to) || null}
            onChange={(v) => onChange([from, emptyToUndefined(v)])}
          />
        </Group>
      );
    }
    case 'days':
      return (
        <NumberInput
          aria-label={`${label} days`}
          placeholder="Days"
          value={asNumber(value)}
          onChange={(v) => onChange(toNumber(v))}
          error={error}
          min={0}
          max={36_500}
          allowDecimal={false}
          rightSection={<DaysSuffix />}
          rightSectionWidth={48}
        />
      );
    case 'enum':
      return (
        <Select
          aria-label={`${label} value`}
          placeholder="Choose"
          data={withCurrent(enumOptions, asList([value]), 'unknown')}
          value={asString(value) || null}
          onChange={(v) => onChange(v ?? undefined)}
          error={error}
          allowDeselect={false}
        />
      );
    case 'enumList':
      return (
        <MultiSelect
          aria-label={`${label} values`}
          placeholder={asList(value).length ? undefined : 'Choose one or more'}
          data={withCurrent(enumOptions, asList(value), 'unknown')}
          value={asList(value)}
          onChange={(v) => onChange(v.length ? v : undefined)}
          error={error}
          clearable
        />
      );
    case 'boolean':
      return (
        <Select
          aria-label={`${label} value`}
          data={[
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]}
          value={value === false ? 'false' : 'true'}
          onChange={(v) => onChange(v !== 'false')}
          error={error}
          allowDeselect={false}
        />
      );
    case 'owner':
      return (
        <Select
          aria-label={`${label} owner`}
          placeholder="Choose"
          data={withCurrent(ownerOptions, asList([value]), 'unknown')}
          value={asString(value) || null}
          onChange={(v) => onChange(v ?? undefined)}
          error={error}
          searchable
          allowDeselect={false}
        />
      );
    case 'ownerList':
      return (
        <MultiSelect
          aria-label={`${label} owners`}
          placeholder={asList(value).length ? undefined : 'Choose one or more'}
          data={withCurrent(ownerOptions, asList(value), 'unknown')}
          value={asList(value)}
          onChange={(v) => onChange(v.length ? v : undefined)}
          error={error}
          searchable
          clearable
        />
      );
    case 'tags':
      return (
        <MultiSelect
          aria-label={`${label} tags`}
          placeholder={asList(value).length ? undefined : 'Choose tags'}
          data={withCurrent(tagOptions, asList(value), 'no such tag')}
          value={asList(value)}
          onChange={(v) => onChange(v.length ? v : undefined)}
          error={error}
          searchable
          clearable
          nothingFoundMessage="No tag by that name"
        />
      );
    case 'segments':
      return (
        <MultiSelect
          aria-label={`${label} segments`}
          placeholder={asList(value).length ? undefined : 'Choose segments'}
          data={withCurrent(field?.options ?? [], asList(value), 'deleted segment')}
          value={asList(value)}
          onChange={(v) => onChange(v.length ? v : undefined)}
          error={error}
          searchable
          clearable
          nothingFoundMessage="No segment by that name"
        />
      );
    case 'orders':
      return <PurchaseInput value={asObject(value)} onChange={onChange} label={label} error={error} />;
    case 'window': {
      const o = asObject(value);
      return (
        <Group gap="xs" wrap="wrap" align="flex-start">
          <NumberInput
            aria-label={`${label} amount`}
            placeholder={field?.integer ? 'Count' : 'Amount'}
            style={grow}
            miw={90}
            value={asNumber(o.amount)}
            onChange={(v) => onChange({ ...o, amount: toNumber(v) })}
            error={error}
            {...numberBounds}
          />
          <Text size="sm" mt={6} style={{ whiteSpace: 'nowrap' }}>
            in the last
          </Text>
          <NumberInput
            aria-label={`${label} days`}
            placeholder="Days"
            w={110}
            value={asNumber(o.days)}
            onChange={(v) => onChange({ ...o, days: toNumber(v) })}
            min={1}
            max={36_500}
            allowDecimal={false}
            rightSection={<DaysSuffix />}
            rightSectionWidth={48}
          />
        </Group>
      );
    }
  }
}

function DaysSuffix() {
  return (
    <Text size="sm" c="dimmed" aria-hidden>
      days
    </Text>
  );
}

/** `{category | product_sku | product_id, within_days}`: what was bought, optionally how recently. */
function PurchaseInput({
  value,
  onChange,
  label,
  error,
}: {
  value: Record<string, unknown>;
  onChange: (value: unknown) => void;
  label: string;
  error?: string;
}) {
  const key = (['category', 'product_sku', 'product_id'] as const).find((k) => value[k] !== undefined);
  const within = value.within_days;
  const build = (k: PurchaseKey | undefined, v: unknown, days: unknown) => {
    const next: Record<string, unknown> = {};
    if (k) next[k] = v ?? '';
    if (days !== undefined) next.within_days = days;
    onChange(next);
  };
  return (
    <Group gap="xs" wrap="wrap" align="flex-start">
      <Select
        aria-label={`${label} product filter`}
        data={purchaseKeys}
        value={key ?? 'any'}
        onChange={(k) => build(k && isPurchaseKey(k) ? k : undefined, key ? value[key] : undefined, within)}
        allowDeselect={false}
        w={130}
      />
      {key ? (
        <TextInput
          aria-label={`${label} ${purchaseKeys.find((p) => p.value === key)?.label.toLowerCase()}`}
          placeholder={
            key === 'category' ? 'e.g. coffee' : key === 'product_sku' ? 'e.g. SKU-1' : 'Product id'
          }
          value={asString(value[key])}
          onChange={(e) => build(key, e.currentTarget.value, within)}
          error={error}
          style={grow}
          miw={120}
          maxLength={200}
        />
      ) : null}
      <NumberInput
        aria-label={`${label} within days`}
        placeholder="Any time"
        value={asNumber(within)}
        onChange={(v) => build(key, key ? value[key] : undefined, toNumber(v))}
        min={1}
        max={36_500}
        allowDecimal={false}
        leftSection={
          <Text size="xs" c="dimmed" aria-hidden>
            within
          </Text>
        }
        leftSectionWidth={52}
        rightSection={<DaysSuffix />}
        rightSectionWidth={48}
        w={170}
        error={key ? undefined : error}
      />
    </Group>
  );
}
