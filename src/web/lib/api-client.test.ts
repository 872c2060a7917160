import { describe, expect, it } from 'vitest';
import { toQueryString } from './api-client.js';

// apiRequest and its problem+json handling are exercised against the real server by the
// component tests (sign-in, the 409 conflict on the profile, field errors on forms).
describe('api client', () => {
  it('builds query strings without empty values and joins lists with commas', () => {
    expect(toQueryString({ q: 'zoë', status: ['active', 'lead'], empty: '', none: undefined, n: 0 })).toBe(
      '?q=zo%C3%AB&status=active%2Clead&n=0',
    );
    expect(toQueryString({ status: [] })).toBe('');
  });
});
