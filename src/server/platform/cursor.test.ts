import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';
import { AppError } from './errors.js';

function decodeError(raw: string, sortKey: string): AppError {
  try {
    decodeCursor(raw, sortKey);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the cursor to be refused');
}

describe('keyset cursors', () => {
  it('round-trip the sort key, the last value and the id', () => {
    for (const v of ['2026-01-01 10:00:00+00', 42.5, null]) {
      const raw = encodeCursor({ s: 'lifetime_value:desc', v, id: 'abc' });
      expect(raw).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe, no padding
      expect(decodeCursor(raw, 'lifetime_value:desc')).toEqual({ s: 'lifetime_value:desc', v, id: 'abc' });
    }
  });

  it('no cursor means the first page', () => {
    expect(decodeCursor(undefined, 'created_at:desc')).toBeNull();
    expect(decodeCursor('', 'created_at:desc')).toBeNull();
  });

  it('a cursor made for another sort is a 400 naming `cursor`', () => {
    const raw = encodeCursor({ s: 'created_at:desc', v: 'x', id: 'abc' });
    const err = decodeError(raw, 'created_at:asc');
    expect(err.code).toBe('validation_failed');
    expect(err.extra.errors).toEqual([{ field: 'cursor', message: expect.stringContaining('not valid') }]);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['JSON that is not an object', Buffer.from('"hello"').toString('base64url')],
    ['a missing id', Buffer.from(JSON.stringify({ s: 'k', v: 1 })).toString('base64url')],
    ['a numeric id', Buffer.from(JSON.stringify({ s: 'k', v: 1, id: 7 })).toString('base64url')],
    ['an object value', Buffer.from(JSON.stringify({ s: 'k', v: { a: 1 }, id: 'x' })).toString('base64url')],
    ['a boolean value', Buffer.from(JSON.stringify({ s: 'k', v: true, id: 'x' })).toString('base64url')],
    ['the JSON null', Buffer.from('null').toString('base64url')],
  ])('refuses %s', (_label, raw) => {
    const err = decodeError(raw, 'k');
    expect(err.code).toBe('validation_failed');
    expect(err.extra.errors?.[0]?.field).toBe('cursor');
  });
});
