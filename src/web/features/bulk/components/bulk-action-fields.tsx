import { ColorSwatch, Group, MultiSelect, Select, TagsInput, Text } from '@mantine/core';
import { useState } from 'react';
import type { BulkAction, BulkActionType } from '../../../../shared/bulk.js';
import type { CustomerStatus } from '../../../../shared/enums.js';
import type { Tag } from '../../../../shared/tags.js';
import { humanize } from '../../../lib/format.js';
import { statusOptions } from '../../customers/components/filter-options.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { useTags } from '../../tags/api/get-tags.js';
import { useManualSegments } from '../api/get-manual-segments.js';

/** What the user picked for an action, before it becomes the API's action. */
export interface BulkActionDraft {
  tagNames: string[];
  segmentId: string | null;
  status: CustomerStatus | null;
  /** 'none' clears the owner. */
  ownerId: string | null;
}

export const emptyDraft: BulkActionDraft = { tagNames: [], segmentId: null, status: null, ownerId: null };

export const noOwner = 'none';

const byName = (tags: readonly Tag[]) => new Map(tags.map((t) => [t.name.toLowerCase(), t]));

/** The API's action for a draft, or null while something required is missing. */
export function toBulkAction(
  type: BulkActionType,
  draft: BulkActionDraft,
  tags: readonly Tag[],
): BulkAction | null {
  switch (type) {
    case 'add_tags':
    case 'remove_tags': {
      if (draft.tagNames.length === 0) return null;
      const known = byName(tags);
      const tag_ids: string[] = [];
      const tag_names: string[] = [];
      for (const name of draft.tagNames) {
        const tag = known.get(name.trim().toLowerCase());
        if (tag) tag_ids.push(tag.id);
        else tag_names.push(name.trim());
      }
      // Removing a tag that does not exist changes nothing.
      if (type === 'remove_tags') return tag_ids.length ? { type, tag_ids } : null;
      return { type, tag_ids, tag_names };
    }
    case 'add_to_segment':
    case 'remove_from_segment':
      return draft.segmentId ? { type, segment_id: draft.segmentId } : null;
    case 'set_status':
      return draft.status ? { type, status: draft.status } : null;
    case 'set_owner':
      return draft.ownerId ? { type, owner_id: draft.ownerId === noOwner ? null : draft.ownerId } : null;
  }
}

/** Tag names the draft would create (add_tags with names no tag has yet). */
export function newTagNames(draft: BulkActionDraft, tags: readonly Tag[]): string[] {
  const known = byName(tags);
  return draft.tagNames.filter((n) => !known.has(n.trim().toLowerCase()));
}

function TagOption({ name, color }: { name: string; color: string | undefined }) {
  return (
    <Group gap={8} wrap="nowrap">
      <ColorSwatch color={color ?? 'var(--mantine-color-gray-4)'} size={12} aria-hidden />
      <Text size="sm">{name}</Text>
    </Group>
  );
}

interface FieldsProps {
  type: BulkActionType;
  draft: BulkActionDraft;
  onChange: (draft: BulkActionDraft) => void;
  /** The user may create tags (add_tags takes new names). */
  canCreateTags: boolean;
}

/** The picker for one action: tags, a manual segment, a status or an owner. */
export function BulkActionFields({ type, draft, onChange, canCreateTags }: FieldsProps) {
  const isTags = type === 'add_tags' || type === 'remove_tags';
  const isSegment = type === 'add_to_segment' || type === 'remove_from_segment';
  const tags = useTags(isTags);
  const segments = useManualSegments(isSegment);
  const staff = useStaffDirectory(type === 'set_owner');
  const [dropdown, setDropdown] = useState(false);

  if (isTags) {
    const colors = new Map((tags.data ?? []).map((t) => [t.name, t.color]));
    const names = (tags.data ?? []).map((t) => t.name);
    const common = {
      label: 'Tags',
      data: names,
      value: draft.tagNames,
      // The list closes once a tag is picked, so it no longer covers the buttons; typing reopens it.
      dropdownOpened: dropdown,
      onDropdownOpen: () => setDropdown(true),
      onDropdownClose: () => setDropdown(false),
      onChange: (tagNames: string[]) => {
        setDropdown(false);
        onChange({ ...draft, tagNames });
      },
      renderOption: ({ option }: { option: { value: string } }) => (
        <TagOption name={option.value} color={colors.get(option.value)} />
      ),
      comboboxProps: { withinPortal: true },
      'data-autofocus': true,
    };
    if (type === 'add_tags' && canCreateTags) {
      return (
        <TagsInput
          {...common}
          placeholder="Pick a tag or type a new name"
          description="Press Enter after a new name to create that tag."
          maxTags={50}
          maxLength={50}
        />
      );
    }
    return (
      <MultiSelect
        {...common}
        placeholder={names.length ? 'Pick tags' : undefined}
        searchable
        nothingFoundMessage={tags.isPending ? 'Loading tags…' : 'No such tag'}
      />
    );
  }

  if (isSegment) {
    const data = (segments.data ?? []).map((s) => ({ value: s.id, label: s.name }));
    return (
      <Select
        label="Segment"
        description="Only segments with hand-picked members; automatic ones follow their criteria."
        placeholder={segments.isPending ? 'Loading segments…' : 'Pick a segment'}
        data={data}
        value={draft.segmentId}
        onChange={(segmentId) => onChange({ ...draft, segmentId })}
        searchable
        nothingFoundMessage="No manual segments"
        data-autofocus
      />
    );
  }

  if (type === 'set_status') {
    return (
      <Select
        label="Status"
        placeholder="Pick a status"
        data={statusOptions}
        value={draft.status}
        onChange={(status) => onChange({ ...draft, status: status as CustomerStatus | null })}
        data-autofocus
      />
    );
  }

  const owners = [
    { value: noOwner, label: 'No owner' },
    ...(staff.data ?? []).map((s) => ({
      value: s.id,
      label: s.name ? `${s.name} (${humanize(s.role)})` : s.email,
    })),
  ];
  return (
    <Select
      label="Owner"
      placeholder={staff.isPending ? 'Loading staff…' : 'Pick an owner'}
      data={owners}
      value={draft.ownerId}
      onChange={(ownerId) => onChange({ ...draft, ownerId })}
      searchable
      data-autofocus
    />
  );
}

/** The confirmation's question, e.g. "Add tag VIP to 12 customers?". `who` names the customers. */
export function describeAction(
  type: BulkActionType,
  draft: BulkActionDraft,
  who: string,
  labels: { segment?: string; owner?: string } = {},
): string {
  const tagList = `${draft.tagNames.length === 1 ? 'tag' : 'tags'} ${draft.tagNames.join(', ')}`;
  switch (type) {
    case 'add_tags':
      return `Add ${tagList} to ${who}?`;
    case 'remove_tags':
      return `Remove ${tagList} from ${who}?`;
    case 'add_to_segment':
      return `Add ${who} to the segment “${labels.segment ?? ''}”?`;
    case 'remove_from_segment':
      return `Remove ${who} from the segment “${labels.segment ?? ''}”?`;
    case 'set_status':
      return `Set the status of ${who} to ${humanize(draft.status ?? '')}?`;
    case 'set_owner':
      return draft.ownerId === noOwner
        ? `Clear the owner of ${who}?`
        : `Make ${labels.owner ?? 'them'} the owner of ${who}?`;
  }
}
