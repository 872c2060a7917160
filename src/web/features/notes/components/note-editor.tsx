import { Box, Button, Checkbox, Group, Select, Stack, Tabs, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { NOTE_MAX_LENGTH, type NoteType, noteTypes } from '../../../../shared/notes.js';
import { Markdown } from '../../../components/markdown.js';
import { MentionTextarea } from '../../../components/mention-textarea.js';
import { humanize } from '../../../lib/format.js';

export interface NoteDraft {
  content: string;
  note_type: NoteType;
  pinned: boolean;
}

const typeOptions = noteTypes.map((t) => ({ value: t, label: humanize(t) }));

/**
 * Markdown with @mentions, a Write/Preview switch, type and pin; Ctrl/Cmd+Enter submits. Used to
 * add a note and to edit one in place. `errors` are the server's field messages.
 */
export function NoteEditor({
  initial,
  submitLabel,
  pending,
  errors,
  label,
  onSubmit,
  onCancel,
}: {
  initial: NoteDraft;
  submitLabel: string;
  pending: boolean;
  errors: Record<string, string>;
  label: string;
  onSubmit: (draft: NoteDraft) => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const [localError, setLocalError] = useState<string | null>(null);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!draft.content.trim()) {
      setLocalError('Write something first');
      return;
    }
    if (draft.content.length > NOTE_MAX_LENGTH) {
      setLocalError(`A note may have at most ${NOTE_MAX_LENGTH} characters`);
      return;
    }
    setLocalError(null);
    onSubmit(draft);
  };

  return (
    <Box component="form" onSubmit={submit} aria-label={label}>
      <Stack gap="xs">
        <Tabs value={tab} onChange={(v) => setTab(v === 'preview' ? 'preview' : 'write')} variant="outline">
          <Tabs.List>
            <Tabs.Tab value="write">Write</Tabs.Tab>
            <Tabs.Tab value="preview">Preview</Tabs.Tab>
          </Tabs.List>
        </Tabs>
        {tab === 'write' ? (
          <MentionTextarea
            aria-label={label}
            placeholder="Write a note…"
            description="Markdown; @ mentions a colleague; Ctrl+Enter (⌘+Enter) saves"
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            // not autosize: it needs document.fonts, which happy-dom (the component tests) lacks
            rows={4}
            resize="vertical"
            value={draft.content}
            error={localError ?? errors.content}
            disabled={pending}
            onChange={(content) => {
              setDraft((d) => ({ ...d, content }));
              if (localError) setLocalError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
            }}
          />
        ) : (
          <Box
            mih={80}
            p="sm"
            bd="1px solid var(--mantine-color-default-border)"
            style={{ borderRadius: 'var(--mantine-radius-sm)' }}
            aria-label="Preview"
            role="region"
          >
            {draft.content.trim() ? (
              <Markdown source={draft.content} />
            ) : (
              <Text size="sm" c="dimmed">
                Nothing to preview yet.
              </Text>
            )}
          </Box>
        )}
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <Group gap="md" align="flex-end">
            <Select
              label="Type"
              size="xs"
              w={130}
              data={typeOptions}
              value={draft.note_type}
              allowDeselect={false}
              error={errors.note_type}
              onChange={(v) => setDraft((d) => ({ ...d, note_type: (v as NoteType | null) ?? d.note_type }))}
            />
            <Checkbox
              label="Pin to top"
              checked={draft.pinned}
              onChange={(event) => {
                const pinned = event.currentTarget.checked;
                setDraft((d) => ({ ...d, pinned }));
              }}
              mb={6}
            />
          </Group>
          <Group gap="xs">
            {onCancel ? (
              <Button variant="default" size="xs" onClick={onCancel} disabled={pending}>
                Cancel
              </Button>
            ) : null}
            <Button type="submit" size="xs" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Box>
  );
}
