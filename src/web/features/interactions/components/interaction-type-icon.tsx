import { ThemeIcon } from '@mantine/core';
import { IconMail, IconMessageCircle, IconPhone, IconShoppingCart, IconUsers } from '@tabler/icons-react';
import type { InteractionType } from '../../../../shared/interactions.js';
import { humanize } from '../../../lib/format.js';

const icons = {
  email: IconMail,
  phone: IconPhone,
  chat: IconMessageCircle,
  meeting: IconUsers,
  order: IconShoppingCart,
} satisfies Record<InteractionType, unknown>;

const colors: Record<InteractionType, string> = {
  email: 'blue',
  phone: 'teal',
  chat: 'violet',
  meeting: 'orange',
  order: 'grape',
};

export function InteractionTypeIcon({ type }: { type: InteractionType }) {
  const Icon = icons[type];
  return (
    <ThemeIcon
      variant="light"
      color={colors[type]}
      radius="xl"
      size="md"
      role="img"
      aria-label={humanize(type)}
    >
      <Icon size={16} aria-hidden />
    </ThemeIcon>
  );
}
