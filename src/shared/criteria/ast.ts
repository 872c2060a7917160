import { z } from 'zod';

/** Every operator of the criteria language; which ones a field accepts is in the catalogue. */
export const criteriaOps = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'is_empty',
  'is_not_empty',
  'older_than_days',
  'within_last_days',
  'has_any',
  'has_all',
  'has_none',
  'purchased',
  'not_purchased',
] as const;
export type CriteriaOp = (typeof criteriaOps)[number];

/** One condition: `{ field: 'lifetime_value', op: 'gte', value: 500 }`. */
export interface CriteriaRule {
  field: string;
  op: string;
  value?: unknown;
}

/** A group of rules and groups joined by AND (`all`) or OR (`any`), optionally negated. */
export interface CriteriaGroup {
  match: 'all' | 'any';
  not?: boolean;
  rules: CriteriaNode[];
}

export type CriteriaNode = CriteriaRule | CriteriaGroup;

/** Limits that keep a tree cheap to validate, compile and run. */
export const CRITERIA_LIMITS = {
  /** Groups nested inside the root, at most. */
  maxDepth: 6,
  /** Rules and groups in the whole tree, at most. */
  maxNodes: 200,
  /** Values in one list (`IN (...)`, `HAS ANY (...)`). */
  maxListValues: 100,
  /** Characters in one string value. */
  maxStringLength: 200,
  /** Characters of the text form. */
  maxTextLength: 4000,
} as const;

/** True when the node is a group (has `match`), false for a rule. */
export function isGroup(node: CriteriaNode): node is CriteriaGroup {
  return typeof node === 'object' && node !== null && 'match' in node;
}

const ruleSchema = z
  .object({ field: z.string().max(64), op: z.string().max(32), value: z.unknown().optional() })
  .strict();

/**
 * The tree's shape (JSON). It checks structure only; {@link validateCriteria} also checks
 * fields, operators, values and limits against the catalogue, with a path per error.
 */
export const criteriaGroupSchema: z.ZodType<CriteriaGroup> = z.lazy(() =>
  z
    .object({
      match: z.enum(['all', 'any']),
      not: z.boolean().optional(),
      rules: z.array(z.union([ruleSchema, criteriaGroupSchema])).max(CRITERIA_LIMITS.maxNodes),
    })
    .strict(),
);

/**
 * The canonical form of a tree: what the text form prints and parses back to. A non-negated
 * group of one node is that node; a one-rule root matches `all`; `not: false` is dropped; a
 * negated group of one non-negated group is that group negated.
 */
export function canonicalize(root: CriteriaGroup): CriteriaGroup {
  const node = canonNode(root);
  if (!isGroup(node)) return { match: 'all', rules: [node] };
  return node;
}

function canonNode(node: CriteriaNode): CriteriaNode {
  if (!isGroup(node)) return node;
  const rules = node.rules.map(canonNode);
  if (rules.length === 1) {
    const only = rules[0]!;
    if (!node.not) return only;
    if (isGroup(only) && !only.not) return { ...only, not: true };
    return { match: 'all', not: true, rules };
  }
  return node.not ? { match: node.match, not: true, rules } : { match: node.match, rules };
}
