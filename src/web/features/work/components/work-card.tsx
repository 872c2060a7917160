import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** One card of "my work": a titled section with a count, an optional action, a "see all" link. */
export function WorkCard({
  title,
  count,
  extra,
  action,
  link,
  children,
}: {
  title: string;
  /** How many there are, shown beside the title ("20+" when there are more pages). */
  count?: string;
  extra?: ReactNode;
  action?: ReactNode;
  link?: { to: string; label: string };
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={title} h="100%">
      <Group justify="space-between" mb="sm" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap">
          <Title order={2} size="h4">
            {title}
          </Title>
          {count !== undefined ? (
            <Badge variant="light" color="gray" aria-label={`${count} in ${title}`}>
              {count}
            </Badge>
          ) : null}
          {extra}
        </Group>
        {action}
      </Group>
      <Stack gap="xs" style={{ flex: 1 }}>
        {children}
      </Stack>
      {link ? (
        <Anchor component={Link} to={link.to} size="sm" mt="sm">
          {link.label} →
        </Anchor>
      ) : null}
    </Card>
  );
}

/** A card's empty state: one calm line. */
export function WorkEmpty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed" py="md" ta="center">
      {children}
    </Text>
  );
}

/** "3" or "20+" when the list has more pages than the card shows. */
export function countLabel(shown: number, more: boolean): string {
  return `${shown}${more ? '+' : ''}`;
}
