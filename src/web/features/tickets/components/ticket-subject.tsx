import { ActionIcon, Button, Group, TextInput, Title, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useState } from 'react';

/** The subject as the page title; writers edit it in place (Enter saves, Escape cancels). */
export function TicketSubject({
  subject,
  canEdit,
  saving,
  onSave,
}: {
  subject: string;
  canEdit: boolean;
  saving: boolean;
  /** Resolves to a field error to show, or null when saved. */
  onSave: (subject: string, done: (error: string | null) => void) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancel = () => {
    setDraft(null);
    setError(null);
  };
  const submit = () => {
    if (draft === null) return;
    const text = draft.trim();
    if (!text) return setError('Subject is required');
    if (text === subject) return cancel();
    onSave(text, (message) => (message ? setError(message) : cancel()));
  };

  if (draft === null) {
    return (
      <Group gap="xs" wrap="nowrap" align="center">
        <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
          {subject}
        </Title>
        {canEdit ? (
          <Tooltip label="Edit subject">
            <ActionIcon variant="subtle" aria-label="Edit subject" onClick={() => setDraft(subject)}>
              <IconPencil size={18} />
            </ActionIcon>
          </Tooltip>
        ) : null}
      </Group>
    );
  }
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      style={{ flex: 1 }}
    >
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          label="Subject"
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && cancel()}
          error={error}
          maxLength={200}
          style={{ flex: 1 }}
          data-autofocus
          autoFocus
        />
        <Button type="submit" mt={25} loading={saving}>
          Save
        </Button>
        <Button variant="default" mt={25} onClick={cancel}>
          Cancel
        </Button>
      </Group>
    </form>
  );
}
