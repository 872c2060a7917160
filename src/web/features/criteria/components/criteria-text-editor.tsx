import { Button, Code, Group, Stack, Text, Textarea } from '@mantine/core';
import { useRef } from 'react';
import type { CriteriaSyntaxError } from '../../../../shared/criteria/index.js';
import { describeSyntaxError, textPosition } from '../criteria-tree.js';

/** The line with the error and a caret under its position. */
function ErrorPointer({ text, position }: { text: string; position: number }) {
  const { line, column } = textPosition(text, position);
  const source = text.split('\n')[line - 1] ?? '';
  // long lines: show the 60 characters around the error
  const start = Math.max(0, column - 40);
  const shown = source.slice(start, start + 60);
  return (
    <Code block aria-hidden fz="xs">
      {`${start > 0 ? '…' : ''}${shown}\n${' '.repeat(column - 1 - start + (start > 0 ? 1 : 0))}^`}
    </Code>
  );
}

/** The text form of the criteria, with the parse error (and where it is) under it. */
export function CriteriaTextEditor({
  text,
  error,
  onChange,
}: {
  text: string;
  error: CriteriaSyntaxError | null;
  onChange: (text: string) => void;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const showError = () => {
    const el = ref.current;
    if (!el || !error) return;
    el.focus();
    el.setSelectionRange(error.position, error.position);
  };
  return (
    <Stack gap={6}>
      <Textarea
        ref={ref}
        label="Criteria as text"
        description='e.g. lifetime_value >= 500 AND (tag = "vip" OR last_order_date OLDER THAN 90 DAYS)'
        value={text}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error ? describeSyntaxError(text, error) : undefined}
        // not autosize: it needs document.fonts, which the test DOM lacks
        rows={5}
        resize="vertical"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
      />
      {error ? (
        <Stack gap={4}>
          <ErrorPointer text={text} position={error.position} />
          <Group gap="sm">
            <Button size="compact-xs" variant="subtle" color="red" onClick={showError}>
              Go to the error
            </Button>
            <Text size="xs" c="dimmed">
              The criteria keep their last valid form until the text parses.
            </Text>
          </Group>
        </Stack>
      ) : null}
    </Stack>
  );
}
