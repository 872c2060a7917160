import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

const minute = 60_000;

describe('LoginLimiter', () => {
  it('allows attempts until `max` failures, then asks to wait until the window passes', () => {
    const limiter = new LoginLimiter(3, 15 * minute);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('1.1.1.1', 'a@x.test', t0 + i)).toBe(0);
      limiter.fail('1.1.1.1', 'a@x.test', t0 + i);
    }
    expect(limiter.retryAfter('1.1.1.1', 'a@x.test', t0 + 3)).toBe(15 * 60);
    expect(limiter.retryAfter('1.1.1.1', 'a@x.test', t0 + 10 * minute)).toBe(5 * 60);
    // the oldest failure leaves the window: one more attempt is allowed
    expect(limiter.retryAfter('1.1.1.1', 'a@x.test', t0 + 15 * minute + 1)).toBe(0);
  });

  it('locks an email out from every address, case-insensitively', () => {
    const limiter = new LoginLimiter(2);
    limiter.fail('10.0.0.1', 'Victim@X.test', 0);
    limiter.fail('10.0.0.2', 'victim@x.test', 1);
    expect(limiter.retryAfter('10.0.0.3', 'VICTIM@x.test', 2)).toBeGreaterThan(0);
    expect(limiter.retryAfter('10.0.0.3', 'other@x.test', 2)).toBe(0);
  });

  it('locks an address out whatever email it tries', () => {
    const limiter = new LoginLimiter(2);
    limiter.fail('10.0.0.9', 'one@x.test', 0);
    limiter.fail('10.0.0.9', 'two@x.test', 1);
    expect(limiter.retryAfter('10.0.0.9', 'three@x.test', 2)).toBeGreaterThan(0);
    expect(limiter.retryAfter('10.0.0.8', 'three@x.test', 2)).toBe(0);
  });

  it('a success clears the email, not the address', () => {
    const limiter = new LoginLimiter(2);
    limiter.fail('10.0.0.5', 'me@x.test', 0);
    limiter.fail('10.0.0.5', 'me@x.test', 1);
    limiter.succeed('ME@x.test');
    expect(limiter.retryAfter('10.0.0.6', 'me@x.test', 2)).toBe(0);
    expect(limiter.retryAfter('10.0.0.5', 'someone@x.test', 2)).toBeGreaterThan(0);
  });

  it('forgets failures older than the window', () => {
    const limiter = new LoginLimiter(2, minute);
    limiter.fail('ip', 'e@x.test', 0);
    limiter.fail('ip', 'e@x.test', minute + 1);
    // only one failure is recent, so there is no lockout
    expect(limiter.retryAfter('ip', 'e@x.test', minute + 2)).toBe(0);
  });

  it('forgets stale keys once many distinct ones have been seen', () => {
    const limiter = new LoginLimiter(3, minute);
    for (let i = 0; i < 10_001; i++) limiter.fail(`10.1.${i >> 8}.${i & 255}`, `u${i}@x.test`, 0);
    expect(limiter.size).toBe(20_002);
    limiter.fail('10.9.9.9', 'late@x.test', 2 * minute);
    expect(limiter.size).toBe(2);
    expect(limiter.retryAfter('10.1.0.1', 'u1@x.test', 2 * minute)).toBe(0);
  });
});
