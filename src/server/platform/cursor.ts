import { badInput } from './errors.js';

/**
 * Keyset cursors: the last row's sort value and id, opaque to clients (base64url JSON). A cursor
 * also records the sort it was made for, so reusing it under another sort is a clear 400.
 */
export interface Cursor {
  s: string; // sort key the cursor belongs to, e.g. "lifetime_value:desc"
  v: string | number | null; // the sort column's value on the last row
  id: string;
  /** The list's total as counted for the first page, carried so later pages need no recount. */
  t?: number;
  /** Whether that total is exact (false: at least that many). */
  x?: boolean;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string | undefined, sortKey: string): Cursor | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    const okValue = parsed.v === null || typeof parsed.v === 'string' || typeof parsed.v === 'number';
    const okTotal =
      (parsed.t === undefined || (Number.isInteger(parsed.t) && parsed.t >= 0)) &&
      (parsed.x === undefined || typeof parsed.x === 'boolean');
    if (typeof parsed.id !== 'string' || !okValue || !okTotal || parsed.s !== sortKey) throw new Error('bad');
    return parsed as Cursor;
  } catch {
    throw badInput('cursor', 'The cursor is not valid for this list and sort; start again without it');
  }
}
