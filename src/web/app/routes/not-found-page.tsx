import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Stack align="flex-start" gap="sm" maw={520}>
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text c="dimmed">There is nothing at this address.</Text>
      <Button component={Link} to="/customers" variant="light">
        Go to customers
      </Button>
    </Stack>
  );
}
