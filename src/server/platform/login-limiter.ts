/**
 * Counts failed sign-ins per client address and per email in a sliding window. After `max`
 * failures either key is locked out until the window passes; a success clears the email's count.
 * In memory: each server process limits on its own, which still bounds guessing per process.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs = 15 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfter(ip: string, email: string, now = Date.now()): number {
    let wait = 0;
    for (const key of [`ip:${ip}`, `email:${email.toLowerCase()}`]) {
      const list = this.recent(key, now);
      if (list.length >= this.max) wait = Math.max(wait, Math.ceil((list[0]! + this.windowMs - now) / 1000));
    }
    return wait;
  }

  fail(ip: string, email: string, now = Date.now()) {
    // many distinct addresses or emails must not grow memory without bound: drop stale keys
    if (this.failures.size > 10_000) for (const key of [...this.failures.keys()]) this.recent(key, now);
    for (const key of [`ip:${ip}`, `email:${email.toLowerCase()}`]) {
      this.failures.set(key, [...this.recent(key, now), now].slice(-this.max));
    }
  }

  /** Keys currently tracked (for tests and diagnostics). */
  get size(): number {
    return this.failures.size;
  }

  succeed(email: string) {
    this.failures.delete(`email:${email.toLowerCase()}`);
  }
}
