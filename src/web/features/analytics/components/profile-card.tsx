import { Card, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { QueryError } from '../../../components/query-error.js';

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** A card on the customer profile fed by one query: its title, then loading, error or content. */
export function ProfileCard({
  id,
  title,
  query,
  errorTitle,
  children,
}: {
  id: string;
  title: string;
  query: QueryLike;
  errorTitle: string;
  children: () => ReactNode;
}) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {query.isPending ? (
          <Stack gap="xs" role="status" aria-label={`Loading ${title.toLowerCase()}`}>
            <Skeleton height={48} />
            <Skeleton height={20} width="70%" />
          </Stack>
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} title={errorTitle} />
        ) : (
          children()
        )}
      </Stack>
    </Card>
  );
}

/** Nothing to show on a profile card yet, and why. */
export function ProfileCardEmpty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack gap={4} py="xs" data-testid="profile-card-empty">
      <Text fw={600} size="sm">
        {title}
      </Text>
      {children ? (
        <Text size="sm" c="dimmed" component="div">
          {children}
        </Text>
      ) : null}
    </Stack>
  );
}
