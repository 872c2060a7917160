import { Alert, Button } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorMessage } from '../lib/api-client.js';

export function QueryError({
  error,
  onRetry,
  title = 'Could not load',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title={title} role="alert">
      {errorMessage(error)}
      {onRetry ? (
        <Button variant="light" color="red" size="xs" mt="sm" display="block" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}
