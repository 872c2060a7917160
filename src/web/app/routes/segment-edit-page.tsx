import { Title } from '@mantine/core';

// Placeholder until the feature's components land.
export function SegmentEditPage() {
  return <Title order={2}>SegmentEditPage</Title>;
}
