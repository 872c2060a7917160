import { Title } from '@mantine/core';

/** Placeholder: replaced by the real screen. */
export function ActivityFeed() {
  return <Title order={1}>ActivityFeed</Title>;
}
