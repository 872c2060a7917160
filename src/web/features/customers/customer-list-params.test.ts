import { describe, expect, it } from 'vitest';
import { countActiveFilters, parseListParams, toSearchParams } from './customer-list-params.js';

describe('customer list URL params', () => {
  it('round-trips filters and sort through the URL', () => {
    const filters = parseListParams(
      new URLSearchParams(
        'q=zoe&status=active,churned&lifecycle_stage=lead&min_lifetime_value=10&max_orders=3&last_order_after=2025-01-01&country=de&owner_id=me&sort=lifetime_value&order=asc',
      ),
    );
    expect(filters).toMatchObject({
      q: 'zoe',
      status: ['active', 'churned'],
      lifecycle_stage: ['lead'],
      min_lifetime_value: 10,
      max_orders: 3,
      last_order_after: '2025-01-01',
      country: 'DE',
      owner_id: 'me',
      sort: 'lifetime_value',
      order: 'asc',
    });
    expect(parseListParams(toSearchParams(filters))).toEqual(filters);
    expect(countActiveFilters(filters)).toBe(7);
  });

  it('drops unknown values and leaves defaults out of the URL', () => {
    const filters = parseListParams(
      new URLSearchParams(
        'status=bogus&sort=password&order=sideways&min_orders=-1&last_order_before=yesterday',
      ),
    );
    expect(filters).toEqual(parseListParams(new URLSearchParams()));
    expect(toSearchParams(filters).toString()).toBe('');
    expect(countActiveFilters(filters)).toBe(0);
  });
});
