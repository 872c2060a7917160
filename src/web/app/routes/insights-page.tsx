import { Title } from '@mantine/core';

// Placeholder until the feature's components land.
export function InsightsPage() {
  return <Title order={2}>InsightsPage</Title>;
}
