import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type ReactNode, useMemo, useState } from 'react';
import { displayName } from '../../../lib/format.js';
import { useCustomerSearch } from '../api/search-customers.js';

export interface PickedCustomer {
  id: string;
  name: string | null;
}

/**
 * An optional customer, picked by searching the server (name, email, company); the options are
 * what the server returned, not filtered here again. Tickets and tasks use it.
 */
export function CustomerPicker({
  value,
  onChange,
  description,
  error,
}: {
  value: PickedCustomer | null;
  onChange: (customer: PickedCustomer | null) => void;
  description: string;
  error?: ReactNode;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // typing the picked customer's own label is not a new search
  const q = value && debounced === (value.name ?? '') ? '' : debounced;
  const results = useCustomerSearch(q);
  const data = useMemo(() => {
    const options = (results.data?.data ?? []).map((c) => {
      const name = displayName(c);
      return { value: c.id, label: c.email && c.email !== name ? `${name} (${c.email})` : name };
    });
    if (value && !options.some((o) => o.value === value.id)) {
      options.unshift({ value: value.id, label: value.name ?? 'Unnamed customer' });
    }
    return options;
  }, [results.data, value]);

  return (
    <Select
      label="Customer"
      placeholder="Search customers"
      description={description}
      searchable
      clearable
      data={data}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'No customer matches'}
      onChange={(id) => {
        if (!id) return onChange(null);
        const picked = results.data?.data.find((c) => c.id === id);
        onChange({ id, name: picked ? displayName(picked) : (value?.name ?? null) });
      }}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
