import { Button, Card, Center, Skeleton, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { QueryError } from './query-error.js';

/** What the card needs of an infinite query (TanStack's useInfiniteQuery result). */
interface PagedQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * A list in a card with the states every list has: skeleton rows while loading, the error with
 * a retry, the empty state, the rows, and "Load more" while the server has more pages.
 */
export function PagedListCard({
  query,
  loadingLabel,
  errorTitle,
  isEmpty,
  empty,
  children,
}: {
  query: PagedQuery;
  loadingLabel: string;
  errorTitle: string;
  isEmpty: boolean;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card withBorder padding={0}>
      {query.isPending ? (
        <Stack p="md" gap="sm" role="status" aria-busy="true" aria-label={loadingLabel}>
          <Skeleton height={28} />
          <Skeleton height={28} />
          <Skeleton height={28} />
        </Stack>
      ) : query.isError ? (
        <Stack p="md">
          <QueryError error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />
        </Stack>
      ) : isEmpty ? (
        empty
      ) : (
        children
      )}
      {query.hasNextPage ? (
        <Center p="sm">
          <Button
            variant="default"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            Load more
          </Button>
        </Center>
      ) : null}
    </Card>
  );
}
