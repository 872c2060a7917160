import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { displayName } from '../../../lib/format.js';
import { useCustomerSearch } from '../api/search-customers.js';

export interface PickedCustomer {
  id: string;
  name: string;
}

/** A customer picked by searching the server (name, email, company); optional. */
export function CustomerSelect({
  value,
  onChange,
  error,
}: {
  value: PickedCustomer | null;
  onChange: (customer: PickedCustomer | null) => void;
  error?: string;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // typing the picked customer's own label is not a new search
  const q = value && debounced === value.name ? '' : debounced;
  const query = useCustomerSearch(q, q.length > 0);
  const data = useMemo(() => {
    const options = (query.data?.data ?? []).map((c) => {
      const name = displayName(c);
      return { value: c.id, label: c.email && c.email !== name ? `${name} (${c.email})` : name };
    });
    if (value && !options.some((o) => o.value === value.id))
      options.unshift({ value: value.id, label: value.name });
    return options;
  }, [query.data, value]);

  return (
    <Select
      label="Customer"
      description="Search by name, email or company"
      placeholder="No customer"
      searchable
      clearable
      data={data}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      // the server filters; show what it returned
      filter={({ options }) => options}
      nothingFoundMessage={q ? (query.isFetching ? 'Searching…' : 'No customers match') : 'Type to search'}
      onChange={(id, option) => onChange(id ? { id, name: option?.label ?? id } : null)}
      error={error}
    />
  );
}
