import { Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A section still loading: a spinner with a name for screen readers. */
export function SectionLoading({ label, h = 160 }: { label: string; h?: number }) {
  return (
    <Group justify="center" align="center" h={h} role="status" aria-label={label}>
      <Loader size="sm" />
    </Group>
  );
}

/** Nothing to show yet: what is missing, why, and what would fill it. */
export function SectionEmpty({
  icon,
  title,
  children,
  action,
}: {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="xl">
      <Stack align="center" gap="xs">
        {icon}
        <Text fw={600}>{title}</Text>
        {children ? (
          <Text size="sm" c="dimmed" ta="center" maw={520} component="div">
            {children}
          </Text>
        ) : null}
        {action}
      </Stack>
    </Paper>
  );
}
