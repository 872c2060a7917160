import { Title } from '@mantine/core';

/** Placeholder: replaced by the real screen. */
export function MyWork() {
  return <Title order={1}>MyWork</Title>;
}
