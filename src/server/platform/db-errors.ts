/** PostgreSQL error codes we turn into client errors (same codes on PGlite and pg). */
export function pgErrorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (pgErrorCode(err) !== '23505') return false;
  if (!constraint) return true;
  const c = (err as { constraint?: string }).constraint;
  const detail = String((err as { message?: string }).message ?? '');
  return c === constraint || detail.includes(constraint);
}
