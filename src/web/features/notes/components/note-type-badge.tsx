import { Badge } from '@mantine/core';
import type { NoteType } from '../../../../shared/notes.js';
import { humanize } from '../../../lib/format.js';

const colors: Record<NoteType, string> = {
  general: 'gray',
  support: 'blue',
  sales: 'teal',
  billing: 'grape',
};

export function NoteTypeBadge({ type }: { type: NoteType }) {
  return (
    <Badge size="sm" variant="light" color={colors[type]}>
      {humanize(type)}
    </Badge>
  );
}
