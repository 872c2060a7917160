import { z } from 'zod';
import { lifecycleStages } from './enums.js';

/** The rules that set lifecycle stages from order behaviour (an administrator edits them). */
export const lifecycleRulesSchema = z.object({
  loyal_min_orders: z.number().int().min(2).max(1000),
  loyal_recent_days: z.number().int().min(1).max(3650),
  at_risk_interval_factor: z.number().min(1).max(100),
  default_interval_days: z.number().int().min(1).max(3650),
  at_risk_min_days: z.number().int().min(1).max(3650),
  lost_after_days: z.number().int().min(1).max(36500),
});
export type LifecycleRules = z.infer<typeof lifecycleRulesSchema>;

export const lifecycleRulesResponseSchema = lifecycleRulesSchema.extend({
  updated_at: z.string(),
  updated_by: z.string().nullable(),
});

/** PUT body: all fields; "lost" must come after "at risk" can begin. */
export const lifecycleRulesUpdateSchema = lifecycleRulesSchema.refine(
  (r) => r.lost_after_days > r.at_risk_min_days,
  {
    message: 'Customers must be at risk before they are lost: lost_after_days must exceed at_risk_min_days',
    path: ['lost_after_days'],
  },
);

export const lifecycleEvaluationSchema = z.object({ changed: z.number().int() });

export const lifecycleReportQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(3650).default(30),
});

/** Where customers stand now and how they moved between stages in the last `days`. */
export const lifecycleReportSchema = z.object({
  since: z.string(),
  stages: z.array(
    z.object({ stage: z.enum(lifecycleStages), customers: z.number().int(), manual: z.number().int() }),
  ),
  movements: z.array(
    z.object({ from: z.enum(lifecycleStages), to: z.enum(lifecycleStages), customers: z.number().int() }),
  ),
});
export type LifecycleReport = z.infer<typeof lifecycleReportSchema>;
