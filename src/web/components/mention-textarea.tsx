import { Combobox, Text, Textarea, type TextareaProps, useCombobox } from '@mantine/core';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { StaffDirectoryEntry } from '../../shared/auth.js';
import { mentionMarkup } from '../../shared/mentions.js';
import { useStaffDirectory } from '../features/staff/api/get-staff-directory.js';

/** "@" at the start or after a space, then the typed part of a name, right before the caret. */
const trigger = /(^|\s)@([\p{L}\p{N}._'-]{0,40})$/u;
const MAX_OPTIONS = 8;

interface Mention {
  /** Where the "@" is. */
  start: number;
  query: string;
}

function mentionAt(text: string, caret: number): Mention | null {
  const match = trigger.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

function displayName(staff: StaffDirectoryEntry): string {
  return staff.name ?? staff.email;
}

function matches(staff: StaffDirectoryEntry, query: string): boolean {
  const q = query.toLowerCase();
  return (staff.name ?? '').toLowerCase().includes(q) || staff.email.toLowerCase().includes(q);
}

export type MentionTextareaProps = Omit<TextareaProps, 'value' | 'onChange'> & {
  value: string;
  onChange: (value: string) => void;
};

/**
 * A textarea where "@" and some letters offer staff to mention: arrows move, Enter or Tab picks,
 * Escape closes. Picking writes `@[Name](staff:<id>)` (what the server notifies) and a space.
 */
export function MentionTextarea({ value, onChange, onKeyDown, ...props }: MentionTextareaProps) {
  const [mention, setMention] = useState<Mention | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const combobox = useCombobox({
    onDropdownClose: () => {
      combobox.resetSelectedOption();
      setActiveId(null);
    },
  });
  const staff = useStaffDirectory(mention !== null);
  const options = mention
    ? (staff.data ?? []).filter((s) => matches(s, mention.query)).slice(0, MAX_OPTIONS)
    : [];
  const open = mention !== null && combobox.dropdownOpened;
  const optionIds = options.map((s) => s.id).join();

  // highlight the first match whenever the matches change (typing, or the directory arriving)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store is a new object each render; only open and the matches count
  useEffect(() => {
    if (open && optionIds) setActiveId(combobox.selectFirstOption());
  }, [open, optionIds]);

  const track = (text: string, caret: number) => {
    const found = mentionAt(text, caret);
    setMention(found);
    if (found) combobox.openDropdown();
    else combobox.closeDropdown();
  };

  const pick = (id: string) => {
    const chosen = staff.data?.find((s) => s.id === id);
    if (!chosen || !mention) return;
    const before = value.slice(0, mention.start);
    const after = value.slice(mention.start + 1 + mention.query.length);
    const inserted = `${mentionMarkup(displayName(chosen), chosen.id)} `;
    onChange(`${before}${inserted}${after}`);
    setMention(null);
    combobox.closeDropdown();
    const caret = before.length + inserted.length;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(caret, caret);
    });
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && options.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActiveId(
          event.key === 'ArrowDown' ? combobox.selectNextOption() : combobox.selectPreviousOption(),
        );
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        if (combobox.getSelectedOptionIndex() === -1) combobox.selectFirstOption();
        combobox.clickSelectedOption();
        return;
      }
    }
    if (open && event.key === 'Escape') {
      // closes the dropdown only, not a modal around the editor
      event.preventDefault();
      event.stopPropagation();
      setMention(null);
      combobox.closeDropdown();
      return;
    }
    onKeyDown?.(event);
  };

  return (
    <Combobox store={combobox} onOptionSubmit={pick} position="bottom-start" width={280}>
      <Combobox.Target
        withKeyboardNavigation={false}
        aria-activedescendant={open ? (activeId ?? undefined) : undefined}
      >
        <Textarea
          {...props}
          ref={ref}
          value={value}
          onChange={(event) => {
            onChange(event.currentTarget.value);
            track(
              event.currentTarget.value,
              event.currentTarget.selectionStart ?? event.currentTarget.value.length,
            );
          }}
          onKeyDown={handleKeyDown}
          onBlur={(event) => {
            combobox.closeDropdown();
            props.onBlur?.(event);
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={mention === null}>
        <Combobox.Options aria-label="Mention someone">
          {staff.isPending ? <Combobox.Empty>Loading staff…</Combobox.Empty> : null}
          {!staff.isPending && options.length === 0 ? (
            <Combobox.Empty>No matching staff</Combobox.Empty>
          ) : null}
          {options.map((s) => (
            // named by its visible text (name and email), as screen readers and axe expect
            <Combobox.Option value={s.id} key={s.id}>
              <Text size="sm">{displayName(s)}</Text>
              {s.name ? (
                // not dimmed or faded: it must stay readable on the highlighted (filled) option
                <Text size="xs">{s.email}</Text>
              ) : null}
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
