import { z } from 'zod';

/** Named RFM groups, from best to worst customers. */
export const rfmGroups = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose',
  'hibernating',
  'lost',
] as const;
export type RfmGroup = (typeof rfmGroups)[number];

export const rfmRunSchema = z.object({
  started_at: z.string(),
  finished_at: z.string(),
  customers_scored: z.number().int(),
  customers_changed: z.number().int(),
  duration_ms: z.number(),
});
export type RfmRun = z.infer<typeof rfmRunSchema>;

/** GET /api/crm/analytics/rfm: the distribution the RFM views draw. */
export const rfmOverviewSchema = z.object({
  last_run: rfmRunSchema.nullable(),
  customers_scored: z.number().int(),
  groups: z.array(
    z.object({
      group: z.enum(rfmGroups),
      customers: z.number().int(),
      revenue: z.number(),
      average_order_value: z.number(),
    }),
  ),
  /** Customers per recency × frequency cell (the classic RFM grid). */
  grid: z.array(
    z.object({ recency: z.number().int(), frequency: z.number().int(), customers: z.number().int() }),
  ),
});
export type RfmOverview = z.infer<typeof rfmOverviewSchema>;
