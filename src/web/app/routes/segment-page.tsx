import { Title } from '@mantine/core';

// Placeholder until the feature's components land.
export function SegmentPage() {
  return <Title order={2}>SegmentPage</Title>;
}
