import { ColorSwatch, Combobox, Group, Text, TextInput, useCombobox } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { CustomerTag, CustomerTagsBody } from '../../../../shared/tags.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useAddCustomerTags } from '../api/add-customer-tags.js';
import { useTags } from '../api/get-tags.js';
import { useRemoveCustomerTag } from '../api/remove-customer-tag.js';
import { TagBadge } from './tag-badge.js';

const CREATE = '$create';

/** Picks an existing tag by typing, or creates a new one when the user may manage tags. */
function AddTagCombobox({ customerId, current }: { customerId: string; current: CustomerTag[] }) {
  const canCreate = usePermission('tags:manage');
  const [search, setSearch] = useState('');
  const [opened, setOpened] = useState(false);
  const tags = useTags(opened);
  const add = useAddCustomerTags();
  const combobox = useCombobox({
    onDropdownOpen: () => setOpened(true),
    onDropdownClose: () => combobox.resetSelectedOption(),
  });

  const term = search.trim();
  const has = new Set(current.map((t) => t.id));
  const options = (tags.data ?? []).filter(
    (t) => !has.has(t.id) && t.name.toLowerCase().includes(term.toLowerCase()),
  );
  const exists = (tags.data ?? []).some((t) => t.name.toLowerCase() === term.toLowerCase());
  const offerCreate = canCreate && term.length > 0 && term.length <= 50 && !exists && !tags.isPending;

  const submit = (body: CustomerTagsBody, label: string) => {
    setSearch('');
    combobox.closeDropdown();
    add.mutate(
      { customerId, body },
      {
        onSuccess: () => notifySuccess(`Tagged ${label}`),
        onError: (error) => notifyError(error, 'Could not add the tag'),
      },
    );
  };

  return (
    <Combobox
      store={combobox}
      width={240}
      position="bottom-start"
      onOptionSubmit={(value) => {
        if (value === CREATE) submit({ names: [term], create_missing: true }, term);
        else submit({ tag_ids: [value] }, options.find((t) => t.id === value)?.name ?? 'the customer');
      }}
    >
      <Combobox.Target>
        <TextInput
          size="xs"
          w={160}
          aria-label="Add tag"
          placeholder="Add tag"
          leftSection={<IconPlus size={14} aria-hidden />}
          value={search}
          disabled={add.isPending}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => {
            // Enter with nothing highlighted picks the only match, or creates the typed name
            if (event.key !== 'Enter' || combobox.getSelectedOptionIndex() !== -1) return;
            const only = options.length === 1 ? options[0] : undefined;
            if (only) submit({ tag_ids: [only.id] }, only.name);
            else if (offerCreate) submit({ names: [term], create_missing: true }, term);
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options aria-label="Tags">
          {tags.isPending ? <Combobox.Empty>Loading tags…</Combobox.Empty> : null}
          {options.slice(0, 50).map((tag) => (
            <Combobox.Option value={tag.id} key={tag.id}>
              <Group gap={8} wrap="nowrap">
                <ColorSwatch color={tag.color} size={12} aria-hidden />
                <Text size="sm">{tag.name}</Text>
              </Group>
            </Combobox.Option>
          ))}
          {offerCreate ? <Combobox.Option value={CREATE}>Create tag “{term}”</Combobox.Option> : null}
          {!tags.isPending && options.length === 0 && !offerCreate ? (
            <Combobox.Empty>{exists ? 'Already tagged' : 'No matching tags'}</Combobox.Empty>
          ) : null}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

/** The customer's tags as coloured badges; with `canEdit`, each can be removed and more added. */
export function CustomerTags({
  customerId,
  tags,
  canEdit,
}: {
  customerId: string;
  tags: CustomerTag[];
  canEdit: boolean;
}) {
  const remove = useRemoveCustomerTag();
  if (!canEdit && tags.length === 0) return null;
  return (
    <Group gap={6} mt={6} aria-label="Tags" role="group">
      {tags.map((tag) => (
        <TagBadge
          key={tag.id}
          tag={tag}
          removing={remove.isPending && remove.variables?.tagId === tag.id}
          onRemove={
            canEdit
              ? () =>
                  remove.mutate(
                    { customerId, tagId: tag.id },
                    {
                      onSuccess: () => notifySuccess(`Removed tag ${tag.name}`),
                      onError: (error) => notifyError(error, 'Could not remove the tag'),
                    },
                  )
              : undefined
          }
        />
      ))}
      {canEdit ? <AddTagCombobox customerId={customerId} current={tags} /> : null}
    </Group>
  );
}
