import { Title } from '@mantine/core';

/** Placeholder: replaced by the real screen. */
export function TaskList() {
  return <Title order={1}>TaskList</Title>;
}
