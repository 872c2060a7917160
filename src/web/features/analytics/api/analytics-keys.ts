import { queryKeys } from '../../../lib/query-keys.js';

export interface OverviewParams {
  from?: string;
  to?: string;
}
export interface CohortsParams {
  from?: string;
  months: number;
}
export interface ChurnParams {
  months: number;
  limit: number;
}
export interface AffinityParams {
  sort: 'lift' | 'confidence' | 'support';
  limit: number;
  product_id?: string;
  min_support?: number;
}

/** Query keys of the shop-wide analytics; one customer's insights sit under that customer's key. */
export const analyticsKeys = {
  all: ['analytics'] as const,
  overview: (params: OverviewParams) => [...analyticsKeys.all, 'overview', params] as const,
  cohorts: (params: CohortsParams) => [...analyticsKeys.all, 'cohorts', params] as const,
  churn: (params: ChurnParams) => [...analyticsKeys.all, 'churn', params] as const,
  affinityAll: () => [...analyticsKeys.all, 'affinity'] as const,
  affinity: (params: AffinityParams) => [...analyticsKeys.affinityAll(), params] as const,
  clvModel: () => [...analyticsKeys.all, 'clv-model'] as const,
  // under the customer's detail key, so whatever refreshes a customer refreshes these too
  insights: (customerId: string) => [...queryKeys.customers.detail(customerId), 'insights'] as const,
  recommendations: (customerId: string) =>
    [...queryKeys.customers.detail(customerId), 'recommendations'] as const,
};
