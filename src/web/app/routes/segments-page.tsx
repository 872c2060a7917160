import { Title } from '@mantine/core';

// Placeholder until the feature's components land.
export function SegmentsPage() {
  return <Title order={2}>SegmentsPage</Title>;
}
