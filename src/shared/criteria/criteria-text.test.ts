import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  criteriaJsonParamSchema,
  criteriaSchema,
  criteriaTextParamSchema,
  type CriteriaGroup,
  type CriteriaNode,
  type CriteriaRule,
  canonicalize,
  parseCriteriaText,
  printCriteria,
  validateCriteria,
} from './index.js';

const parse = (src: string) => {
  const r = parseCriteriaText(src);
  if (!r.ok) throw new Error(`${r.error.message} at ${r.error.position}`);
  return r.criteria;
};
const errorOf = (src: string) => {
  const r = parseCriteriaText(src);
  if (r.ok) throw new Error(`parsed: ${JSON.stringify(r.criteria)}`);
  return r.error;
};

describe('the text form', () => {
  it('parses the product example to the JSON tree', () => {
    const tree = parse(
      'lifetime_value >= 500 AND tag = "vip" AND (last_order_date OLDER THAN 90 DAYS OR lifecycle_stage IN ("at_risk", "lost")) AND PURCHASED category = "coffee" WITHIN 180 DAYS',
    );
    expect(tree).toEqual({
      match: 'all',
      rules: [
        { field: 'lifetime_value', op: 'gte', value: 500 },
        { field: 'tags', op: 'has_any', value: ['vip'] },
        {
          match: 'any',
          rules: [
            { field: 'last_order_date', op: 'older_than_days', value: 90 },
            { field: 'lifecycle_stage', op: 'in', value: ['at_risk', 'lost'] },
          ],
        },
        { field: 'orders', op: 'purchased', value: { category: 'coffee', within_days: 180 } },
      ],
    });
    expect(validateCriteria(tree)).toEqual({ ok: true, criteria: tree });
  });

  it('gives AND precedence over OR, NOT over both, and keeps parenthesised groups', () => {
    expect(parse('total_orders = 1 OR total_orders = 2 AND NOT company IS EMPTY')).toEqual({
      match: 'any',
      rules: [
        { field: 'total_orders', op: 'eq', value: 1 },
        {
          match: 'all',
          rules: [
            { field: 'total_orders', op: 'eq', value: 2 },
            { match: 'all', not: true, rules: [{ field: 'company', op: 'is_empty' }] },
          ],
        },
      ],
    });
    expect(parse('NOT (email CONTAINS "x" OR phone STARTS WITH "+49")')).toEqual({
      match: 'any',
      not: true,
      rules: [
        { field: 'email', op: 'contains', value: 'x' },
        { field: 'phone', op: 'starts_with', value: '+49' },
      ],
    });
  });

  it('reads every operator form, keywords in any case', () => {
    const cases: Array<[string, CriteriaRule]> = [
      ['first_name != "Ann"', { field: 'first_name', op: 'neq', value: 'Ann' }],
      ['company not contains "acme"', { field: 'company', op: 'not_contains', value: 'acme' }],
      ['country NOT IN ("DE", "FR")', { field: 'country', op: 'not_in', value: ['DE', 'FR'] }],
      ['lifetime_value BETWEEN 10 AND 20.5', { field: 'lifetime_value', op: 'between', value: [10, 20.5] }],
      ['rfm_group IS NOT EMPTY', { field: 'rfm_group', op: 'is_not_empty' }],
      ['created_at WITHIN LAST 30 DAYS', { field: 'created_at', op: 'within_last_days', value: 30 }],
      ['created_at < "2026-01-01"', { field: 'created_at', op: 'lt', value: '2026-01-01' }],
      ['tags HAS ALL ("a", "b")', { field: 'tags', op: 'has_all', value: ['a', 'b'] }],
      ['tag != "spam"', { field: 'tags', op: 'has_none', value: ['spam'] }],
      ['owner = me', { field: 'owner', op: 'eq', value: 'me' }],
      ['has_account = true', { field: 'has_account', op: 'eq', value: true }],
      ['spend_in_days(90) > 100', { field: 'spend_in_days', op: 'gt', value: { days: 90, amount: 100 } }],
      ['NOT PURCHASED sku = "A-1"', { field: 'orders', op: 'not_purchased', value: { product_sku: 'A-1' } }],
      ['PURCHASED', { field: 'orders', op: 'purchased', value: {} }],
    ];
    for (const [src, rule] of cases) expect(parse(src), src).toEqual({ match: 'all', rules: [rule] });
  });

  it('decodes string escapes and keeps hostile text as a value', () => {
    expect(parse(String.raw`company = "a\"b\\c\n\u00e9'; drop table customers; --"`).rules[0]).toEqual({
      field: 'company',
      op: 'eq',
      value: 'a"b\\c\né\'; drop table customers; --',
    });
  });

  it('points at the position of the problem', () => {
    expect(errorOf('lifetime_value >= 500 AND colour = "red"')).toEqual({
      message: 'Unknown field "colour"',
      position: 26,
    });
    expect(errorOf('lifetime_value CONTAINS 5')).toMatchObject({ position: 15 });
    expect(errorOf('lifetime_value CONTAINS 5').message).toMatch(/contains is not allowed.*lifetime_value/);
    expect(errorOf('company = "open')).toMatchObject({
      message: expect.stringMatching(/Unterminated/),
      position: 10,
    });
    expect(errorOf('(company = "a"')).toMatchObject({ position: 14 });
    expect(errorOf('company = "a" junk')).toMatchObject({ position: 14 });
    expect(errorOf('company = ')).toMatchObject({
      message: 'Expected a value but found the end',
      position: 10,
    });
    expect(errorOf('company @ 1')).toMatchObject({ position: 8 });
    expect(errorOf('x'.repeat(5000)).message).toMatch(/At most/);
  });

  it('prints canonically and round-trips', () => {
    const src =
      'lifetime_value >= 500 AND (tags HAS ANY ("vip") OR NOT (company IS EMPTY)) AND NOT PURCHASED category = "tea" WITHIN 30 DAYS';
    expect(printCriteria(parse(src))).toBe(src);
    expect(printCriteria(parse('  tag = "vip"   and lifetime_value>=5'))).toBe(
      'tags HAS ANY ("vip") AND lifetime_value >= 5',
    );
    expect(parse('')).toEqual({ match: 'all', rules: [] });
  });
});

describe('validation', () => {
  it('names unknown fields, operators and wrong values with their path', () => {
    const r = validateCriteria({
      match: 'all',
      rules: [
        { field: 'colour', op: 'eq', value: 'red' },
        { field: 'lifetime_value', op: 'contains', value: 'x' },
        { field: 'lifetime_value', op: 'gte', value: '500' },
        { match: 'any', rules: [{ field: 'lifecycle_stage', op: 'in', value: ['gone'] }] },
        { field: 'tags', op: 'has_any', value: [] },
        { field: 'orders', op: 'purchased', value: { category: 'x', product_sku: 'y' } },
        { field: 'segments', op: 'in', value: ['not-a-uuid'] },
        { field: 'created_at', op: 'gt', value: '2026-02-30' },
        { field: 'company', op: 'frobnicate', value: 'x' },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    expect(Object.keys(byField)).toEqual([
      'criteria.rules[0].field',
      'criteria.rules[1].op',
      'criteria.rules[2].value',
      'criteria.rules[3].rules[0].value',
      'criteria.rules[4].value',
      'criteria.rules[5].value',
      'criteria.rules[6].value',
      'criteria.rules[7].value',
      'criteria.rules[8].op',
    ]);
    expect(byField['criteria.rules[0].field']).toMatch(/Unknown field "colour"/);
    expect(byField['criteria.rules[1].op']).toMatch(
      /Operator "contains" is not allowed for field "lifetime_value"/,
    );
    expect(byField['criteria.rules[2].value']).toMatch(/expected a number/);
    expect(byField['criteria.rules[8].op']).toMatch(/Unknown operator "frobnicate"/);
  });

  it('rejects bad shapes, deep nesting and too many rules without throwing', () => {
    for (const bad of [
      null,
      5,
      'x',
      [],
      { match: 'some', rules: [] },
      { match: 'all' },
      { match: 'all', rules: [7] },
    ]) {
      expect(validateCriteria(bad).ok).toBe(false);
    }
    let deep: CriteriaGroup = { match: 'all', rules: [{ field: 'company', op: 'is_empty' }] };
    for (let i = 0; i < 8; i++) deep = { match: 'any', rules: [deep] };
    expect(validateCriteria(deep)).toMatchObject({ ok: false, errors: [{ message: /nest at most/ }] });
    const many = {
      match: 'all',
      rules: Array.from({ length: 250 }, () => ({ field: 'company', op: 'is_empty' })),
    };
    expect(validateCriteria(many)).toMatchObject({ ok: false, errors: [{ message: /At most 200/ }] });
    expect(validateCriteria({ match: 'all', rules: [{ match: 'any', rules: [] }] }).ok).toBe(false);
  });
});

// ---- property: print → parse gives the canonical tree back ----

const str = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' });
const num = fc.oneof(
  fc.integer({ min: 0, max: 100000 }),
  fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);
const day = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const ruleArb: fc.Arbitrary<CriteriaRule> = fc.oneof(
  fc.record({
    field: fc.constantFrom('company', 'email', 'first_name'),
    op: fc.constantFrom('eq', 'neq', 'contains', 'not_contains', 'starts_with'),
    value: str,
  }),
  fc.record({
    field: fc.constant('country'),
    op: fc.constantFrom('in', 'not_in'),
    value: fc.array(str, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ field: fc.constant('company'), op: fc.constantFrom('is_empty', 'is_not_empty') }),
  fc.record({
    field: fc.constant('lifetime_value'),
    op: fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte'),
    value: num,
  }),
  fc.record({ field: fc.constant('lifetime_value'), op: fc.constant('between'), value: fc.tuple(num, num) }),
  fc.record({ field: fc.constant('created_at'), op: fc.constantFrom('gt', 'lte'), value: day }),
  fc.record({
    field: fc.constant('last_order_date'),
    op: fc.constantFrom('older_than_days', 'within_last_days'),
    value: fc.nat(1000),
  }),
  fc.record({
    field: fc.constant('tags'),
    op: fc.constantFrom('has_any', 'has_all', 'has_none'),
    value: fc.array(str, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ field: fc.constant('has_account'), op: fc.constant('eq'), value: fc.boolean() }),
  fc.record({
    field: fc.constant('orders'),
    op: fc.constantFrom('purchased', 'not_purchased'),
    value: fc.record({ category: str, within_days: fc.integer({ min: 1, max: 999 }) }, { requiredKeys: [] }),
  }),
  fc.record({
    field: fc.constant('orders_count_in_days'),
    op: fc.constantFrom('eq', 'gte', 'lt'),
    value: fc.record({ days: fc.integer({ min: 1, max: 999 }), amount: fc.nat(50) }),
  }),
);
const { tree: nodeArb } = fc.letrec<{ tree: CriteriaNode; group: CriteriaGroup }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, ruleArb, tie('group')),
  group: fc.record(
    {
      match: fc.constantFrom('all' as const, 'any' as const),
      not: fc.boolean(),
      rules: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }),
    },
    { requiredKeys: ['match', 'rules'] },
  ),
}));
const rootArb = fc.array(nodeArb, { minLength: 1, maxLength: 4 }).chain((rules) =>
  fc.record({
    match: fc.constantFrom('all' as const, 'any' as const),
    not: fc.boolean(),
    rules: fc.constant(rules),
  }),
);

describe('round trip (property)', () => {
  it('parse(print(tree)) equals the canonical tree, and canonical trees come back unchanged', () => {
    fc.assert(
      fc.property(rootArb, (tree) => {
        const printed = printCriteria(tree);
        const back = parse(printed);
        expect(back).toEqual(canonicalize(tree));
        expect(canonicalize(back)).toEqual(back);
        expect(parse(printCriteria(back))).toEqual(back);
      }),
      { numRuns: 300 },
    );
  });
});

describe('zod schemas for requests', () => {
  it('criteriaSchema validates a body field with paths below it', () => {
    const body = z.object({ criteria: criteriaSchema });
    const ok = body.safeParse({ criteria: { match: 'all', rules: [{ field: 'company', op: 'is_empty' }] } });
    expect(ok.success).toBe(true);
    const bad = body.safeParse({
      criteria: { match: 'all', rules: [{ field: 'colour', op: 'eq', value: 1 }] },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path)).toEqual([['criteria', 'rules[0].field']]);
  });

  it('query-string params: JSON and text', () => {
    expect(criteriaJsonParamSchema.safeParse('{"match":"any","rules":[]}').success).toBe(true);
    expect(criteriaJsonParamSchema.safeParse('nope').error?.issues[0]?.message).toBe(
      'Expected a criteria tree as JSON',
    );
    expect(criteriaTextParamSchema.safeParse('company IS').error?.issues[0]?.message).toBe(
      'Expected EMPTY but found the end (at position 10)',
    );
    expect(criteriaTextParamSchema.parse('tag = "vip"')).toEqual({
      match: 'all',
      rules: [{ field: 'tags', op: 'has_any', value: ['vip'] }],
    });
  });
});
