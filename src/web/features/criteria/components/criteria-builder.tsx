import { Alert, Group, Loader, SegmentedControl, Stack, Text } from '@mantine/core';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import {
  type CriteriaGroup,
  type CriteriaSyntaxError,
  parseCriteriaText,
} from '../../../../shared/criteria/index.js';
import { QueryError } from '../../../components/query-error.js';
import { useCriteriaFields } from '../api/get-criteria-fields.js';
import { criteriaToText } from '../criteria-tree.js';
import classes from './criteria-builder.module.css';
import { CriteriaGroupEditor } from './criteria-group-editor.js';
import { CriteriaTextEditor } from './criteria-text-editor.js';

export type CriteriaBuilderMode = 'visual' | 'text';

const same = (a: CriteriaGroup, b: CriteriaGroup) => JSON.stringify(a) === JSON.stringify(b);

// Enter in a value input would submit the form around the builder; inputs that use Enter
// (tags inputs, selects) have handled it by the time it bubbles here.
function keepEnterInside(event: KeyboardEvent<HTMLDivElement>) {
  if (event.key === 'Enter' && event.target instanceof HTMLInputElement) event.preventDefault();
}

/**
 * Edits a criteria tree, controlled: visually (nested groups of field → operator → value rules,
 * driven by the server's field catalogue) or as text. Switching keeps both in step: the tree is
 * printed to text, and text replaces the tree only once it parses.
 */
export function CriteriaBuilder({
  value,
  onChange,
  defaultMode = 'visual',
}: {
  value: CriteriaGroup;
  onChange: (value: CriteriaGroup) => void;
  defaultMode?: CriteriaBuilderMode;
}) {
  const fields = useCriteriaFields();
  const [mode, setMode] = useState<CriteriaBuilderMode>(defaultMode);
  const [text, setText] = useState(() => criteriaToText(value));
  const [syntaxError, setSyntaxError] = useState<CriteriaSyntaxError | null>(null);
  const [blocked, setBlocked] = useState(false);
  // the tree the text stands for: when the value changes from elsewhere, the text follows it
  const textTree = useRef(value);

  useEffect(() => {
    if (mode === 'text' && !same(value, textTree.current)) {
      textTree.current = value;
      setText(criteriaToText(value));
      setSyntaxError(null);
    }
  }, [mode, value]);

  const changeText = (next: string) => {
    setText(next);
    setBlocked(false);
    const parsed = parseCriteriaText(next);
    if (!parsed.ok) {
      setSyntaxError(parsed.error);
      return;
    }
    setSyntaxError(null);
    if (!same(parsed.criteria, value)) {
      textTree.current = parsed.criteria;
      onChange(parsed.criteria);
    }
  };

  const changeMode = (next: string) => {
    if (next === 'visual' && syntaxError) {
      setBlocked(true);
      return;
    }
    setBlocked(false);
    setMode(next === 'text' ? 'text' : 'visual');
  };

  return (
    <Stack gap="sm" onKeyDown={keepEnterInside} className={classes.root}>
      <Group justify="space-between" gap="sm">
        <SegmentedControl
          size="xs"
          aria-label="Criteria editor"
          value={mode}
          onChange={changeMode}
          data={[
            { value: 'visual', label: 'Visual' },
            { value: 'text', label: 'Text' },
          ]}
        />
        {fields.isFetching && fields.data ? (
          <Loader size="xs" role="status" aria-label="Refreshing fields" />
        ) : null}
      </Group>
      {blocked ? (
        <Alert color="red" variant="light" role="alert" p="xs">
          Fix the error in the text first: the visual builder shows criteria that parse.
        </Alert>
      ) : null}
      {mode === 'text' ? (
        <CriteriaTextEditor text={text} error={syntaxError} onChange={changeText} />
      ) : fields.isPending ? (
        <Group gap="xs">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            Loading fields…
          </Text>
        </Group>
      ) : fields.isError ? (
        <QueryError
          error={fields.error}
          onRetry={() => void fields.refetch()}
          title="Could not load the fields"
        />
      ) : (
        <CriteriaGroupEditor group={value} path={[]} fields={fields.data} onChange={onChange} />
      )}
    </Stack>
  );
}
