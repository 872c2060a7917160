import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { displayName } from '../../../lib/format.js';
import { useCustomerSearch } from '../api/search-customers.js';

export interface PickedCustomer {
  id: string;
  name: string | null;
}

/** A searchable customer Select fed by the server's search (the list is not filtered here again). */
export function CustomerPicker({
  value,
  onChange,
  error,
}: {
  value: PickedCustomer | null;
  onChange: (customer: PickedCustomer | null) => void;
  error?: React.ReactNode;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  // typing the picked customer's own name is not a search
  const q = value && debounced === (value.name ?? '') ? '' : debounced.trim();
  const results = useCustomerSearch(q);
  const data = useMemo(() => {
    const options = (results.data?.data ?? []).map((c) => ({ value: c.id, label: displayName(c) }));
    if (value && !options.some((o) => o.value === value.id)) {
      options.unshift({ value: value.id, label: value.name ?? 'Unnamed customer' });
    }
    return options;
  }, [results.data, value]);

  return (
    <Select
      label="Customer"
      placeholder="Search customers"
      description="Optional: the customer this task is about"
      searchable
      clearable
      data={data}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'No customer matches'}
      onChange={(id, option) => onChange(id ? { id, name: option?.label ?? null } : null)}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
