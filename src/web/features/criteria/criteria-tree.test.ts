import { describe, expect, it } from 'vitest';
import { criteriaFields, parseCriteriaText } from '../../../shared/criteria/index.js';
import {
  changeOp,
  convertValue,
  criteriaToText,
  describeSyntaxError,
  fieldCategory,
  fieldSelectData,
  newRule,
  opLabel,
  printableCriteria,
  ruleOfPath,
  toCriteriaGroup,
  valueShape,
} from './criteria-tree.js';
import type { CriteriaFieldInfo } from './api/get-criteria-fields.js';

// the catalogue as the fields endpoint sends it (mutable lists)
const fields: CriteriaFieldInfo[] = criteriaFields.map(({ ops, values, ...f }) => ({
  ...f,
  ops: [...ops],
  ...(values ? { values: [...values] } : {}),
}));
const field = (name: string) => fields.find((f) => f.name === name)!;

describe('criteria tree helpers', () => {
  it('picks a value shape per type and operator', () => {
    expect(valueShape('string', 'in')).toBe('textList');
    expect(valueShape('date', 'within_last_days')).toBe('days');
    expect(valueShape('date', 'between')).toBe('datePair');
    expect(valueShape('number', 'is_empty')).toBe('none');
    expect(valueShape('orders', 'purchased')).toBe('orders');
    expect(valueShape('order_window', 'gte')).toBe('window');
  });

  it('keeps values across operator changes when they fit', () => {
    expect(convertValue('x', 'text', 'textList')).toEqual(['x']);
    expect(convertValue(['a', 'b'], 'enumList', 'enum')).toBe('a');
    expect(convertValue(5, 'number', 'numberPair')).toEqual([5, undefined]);
    expect(convertValue('2026-01-01', 'date', 'days')).toBeUndefined();
    expect(changeOp({ field: 'city', op: 'eq', value: 'Oslo' }, field('city'), 'is_empty')).toEqual({
      field: 'city',
      op: 'is_empty',
    });
    expect(newRule(field('has_account'))).toEqual({ field: 'has_account', op: 'eq', value: true });
    expect(newRule(field('spend_in_days'))).toEqual({
      field: 'spend_in_days',
      op: 'eq',
      value: { days: 30 },
    });
  });

  it('groups every field of the catalogue under a category', () => {
    const data = fieldSelectData(fields);
    expect(data.flatMap((g) => g.items)).toHaveLength(criteriaFields.length);
    expect(data.find((g) => g.group === 'Other')).toBeUndefined();
    expect(fieldCategory(field('rfm_group'))).toBe('RFM');
    expect(fieldCategory(field('last_order_date'))).toBe('Orders and value');
    expect(fieldCategory(field('email_domain'))).toBe('Contact');
    expect(opLabel('gt', 'date')).toBe('is after');
    expect(opLabel('gt', 'number')).toBe('is greater than');
  });

  it('prints unfinished trees as text that parses back', () => {
    const unfinished = {
      match: 'all' as const,
      rules: [
        { field: 'company', op: 'eq' },
        { field: 'country', op: 'in' },
        { field: 'total_orders', op: 'between', value: [1] },
        { field: 'spend_in_days', op: 'gte', value: { days: 30 } },
        { match: 'any' as const, rules: [] },
      ],
    };
    expect(printableCriteria(unfinished).rules).toHaveLength(4);
    const text = criteriaToText(unfinished);
    expect(text).toBe(
      'company = "" AND country IN ("") AND total_orders BETWEEN 1 AND "" AND spend_in_days(30) >= 0',
    );
    expect(parseCriteriaText(text).ok).toBe(true);
  });

  it('describes positions and error paths in the builder’s words', () => {
    const text = 'company = "x" AND\ncountry =';
    const parsed = parseCriteriaText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(describeSyntaxError(text, parsed.error)).toBe(
        'Line 2, column 10: Expected a value but found the end',
      );
    expect(ruleOfPath('criteria.rules[2].rules[0].value')).toBe('Rule 3.1');
    expect(ruleOfPath('criteria.rules.1.op')).toBe('Rule 2');
    expect(ruleOfPath('criteria.match')).toBeNull();
    expect(toCriteriaGroup(null)).toEqual({ match: 'all', rules: [] });
    expect(toCriteriaGroup({ match: 'any', rules: [] })).toEqual({ match: 'any', rules: [] });
  });
});
