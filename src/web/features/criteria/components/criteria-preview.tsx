import { Alert, Anchor, Card, Group, List, Loader, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { CriteriaGroup } from '../../../../shared/criteria/index.js';
import { isApiError } from '../../../lib/api-client.js';
import { displayName, formatCount } from '../../../lib/format.js';
import { useSegmentPreview } from '../../segments/api/preview-segment.js';
import { ruleOfPath } from '../criteria-tree.js';

/** Debounce before asking the server, so typing does not send a request per key. */
export const PREVIEW_DELAY_MS = 300;

/** The server's complaint about the criteria, in the builder's words ("Rule 2: …"). */
function PreviewProblem({ error }: { error: unknown }) {
  if (isApiError(error, 400)) {
    const entries = Object.entries(error.fieldErrors);
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title="Finish the criteria to count"
      >
        {entries.length ? (
          <List size="sm" spacing={2}>
            {entries.map(([path, message]) => {
              const rule = ruleOfPath(path);
              return <List.Item key={path}>{rule ? `${rule}: ${message}` : message}</List.Item>;
            })}
          </List>
        ) : (
          <Text size="sm">{error.detail ?? error.title}</Text>
        )}
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Could not count">
      <Text size="sm">{error instanceof Error ? error.message : 'Something went wrong'}</Text>
    </Alert>
  );
}

/** How many customers the criteria match right now, and a few of their names. */
export function CriteriaPreview({
  criteria,
  title = 'Matching customers',
}: {
  criteria: CriteriaGroup;
  title?: string;
}) {
  const [debounced] = useDebouncedValue(criteria, PREVIEW_DELAY_MS);
  const preview = useSegmentPreview(debounced);
  const stale = preview.isFetching || debounced !== criteria;
  const data = preview.isError ? undefined : preview.data;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="criteria-preview-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="criteria-preview-title">
          {title}
        </Title>
        {stale ? <Loader size="xs" role="status" aria-label="Counting" /> : null}
      </Group>
      <Stack gap="sm" aria-live="polite" aria-busy={stale}>
        {preview.isError ? (
          <PreviewProblem error={preview.error} />
        ) : data ? (
          <>
            <Group gap={6} align="baseline" opacity={stale ? 0.6 : 1}>
              <Text fz={32} fw={700} lh={1} data-testid="criteria-preview-count">
                {formatCount(data.count)}
                {data.count_exact ? '' : '+'}
              </Text>
              <Text size="sm" c="dimmed">
                {data.count === 1 && data.count_exact ? 'customer matches' : 'customers match'}
              </Text>
            </Group>
            {data.sample.length ? (
              <Stack gap={4}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  For example
                </Text>
                <List size="sm" spacing={2} listStyleType="none" aria-label="Sample of matching customers">
                  {data.sample.map((c) => (
                    <List.Item key={c.id}>
                      <Anchor component={Link} to={`/customers/${c.id}`} size="sm">
                        {displayName(c)}
                      </Anchor>
                    </List.Item>
                  ))}
                </List>
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                No customer matches yet.
              </Text>
            )}
          </>
        ) : (
          <Stack gap={6}>
            <Skeleton height={32} width={80} />
            <Skeleton height={12} width="70%" />
            <Skeleton height={12} width="50%" />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
