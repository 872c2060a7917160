import { Badge, type BadgeProps, CloseButton } from '@mantine/core';

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/**
 * Text colour for a tag's own background: black or white, whichever contrasts more (WCAG
 * relative luminance), so any colour a user picks stays readable (at least 4.5:1).
 */
export function tagTextColor(hex: string): string {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!match?.[1]) return 'var(--mantine-color-text)';
  const n = Number.parseInt(match[1], 16);
  const l = 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  // against black and white the better of the two is always at least 4.58:1
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

interface TagBadgeProps extends Omit<BadgeProps, 'color'> {
  tag: { name: string; color: string };
  /** Shows a remove (x) button labelled "Remove tag <name>". */
  onRemove?: () => void;
  removing?: boolean;
}

/** A tag in its own colour, optionally removable. */
export function TagBadge({ tag, onRemove, removing, ...props }: TagBadgeProps) {
  const text = tagTextColor(tag.color);
  return (
    <Badge
      variant="filled"
      tt="none"
      style={{ background: tag.color, color: text }}
      pr={onRemove ? 3 : undefined}
      rightSection={
        onRemove ? (
          <CloseButton
            size="xs"
            radius="xl"
            variant="transparent"
            c={text}
            disabled={removing}
            onClick={onRemove}
            aria-label={`Remove tag ${tag.name}`}
          />
        ) : undefined
      }
      {...props}
    >
      {tag.name}
    </Badge>
  );
}
