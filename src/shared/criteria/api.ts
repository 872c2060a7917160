import { z } from 'zod';
import { CRITERIA_LIMITS, type CriteriaGroup, criteriaOps } from './ast.js';
import { parseCriteriaText } from './text.js';
import { validateCriteria } from './validate.js';

/** GET /api/crm/criteria/fields: the catalogue, with the current tags and segments as choices. */
export const criteriaFieldsResponseSchema = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.enum([
        'string',
        'number',
        'date',
        'enum',
        'boolean',
        'owner',
        'tags',
        'segments',
        'orders',
        'order_window',
      ]),
      ops: z.array(z.enum(criteriaOps)),
      values: z.array(z.string()).optional(),
      options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
      nullable: z.boolean().optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().optional(),
    }),
  ),
});
export type CriteriaFieldsResponse = z.infer<typeof criteriaFieldsResponseSchema>;

/** Strips the leading dot of a path relative to the tree's root (`.rules[2].op`). */
const relative = (field: string) => (field ? [field.replace(/^\./, '')] : []);

/**
 * A criteria tree passed as JSON in a query string (`?criteria={...}`): parsed and validated;
 * errors name the path, e.g. `criteria.rules[2].op`.
 */
export const criteriaJsonParamSchema = z
  .string()
  .max(20_000)
  .transform((s, ctx): CriteriaGroup => {
    let json: unknown;
    try {
      json = JSON.parse(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Expected a criteria tree as JSON' });
      return z.NEVER;
    }
    const r = validateCriteria(json, '');
    if (r.ok) return r.criteria;
    for (const e of r.errors) ctx.addIssue({ code: 'custom', message: e.message, path: relative(e.field) });
    return z.NEVER;
  });

/** A criteria tree in the text form (`?query=lifetime_value >= 500`): errors give the position. */
export const criteriaTextParamSchema = z
  .string()
  .max(CRITERIA_LIMITS.maxTextLength)
  .transform((s, ctx): CriteriaGroup => {
    const p = parseCriteriaText(s);
    if (!p.ok) {
      ctx.addIssue({ code: 'custom', message: `${p.error.message} (at position ${p.error.position})` });
      return z.NEVER;
    }
    const r = validateCriteria(p.criteria, '');
    if (r.ok) return r.criteria;
    for (const e of r.errors) ctx.addIssue({ code: 'custom', message: e.message });
    return z.NEVER;
  });

/**
 * A criteria tree in a JSON body (segments, bulk actions, exports): validated against the
 * catalogue; errors carry the path below the body key, e.g. `body.criteria.rules[0].field`.
 */
export const criteriaSchema = z
  .unknown()
  .transform((v, ctx): CriteriaGroup => {
    const r = validateCriteria(v, '');
    if (r.ok) return r.criteria;
    for (const e of r.errors) ctx.addIssue({ code: 'custom', message: e.message, path: relative(e.field) });
    return z.NEVER;
  })
  .meta({ description: 'A criteria tree: {match: "all"|"any", not?, rules: [{field, op, value} | group]}' });
