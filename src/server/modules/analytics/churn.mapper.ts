import type { Churn } from '../../../shared/analytics.js';
import { maskEmail } from '../../platform/masking.js';
import type { WinBackRow } from './churn.queries.js';

type WinBackCustomer = Churn['win_back'][number];

/** What an erased customer is called: their record stays (orders, value), the person does not. */
export const erasedName = 'Erased customer';

/** Each part of a name down to its first letter, as masked emails keep theirs: "A*** B***". */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${[...part][0]}***`)
    .join(' ');
}

/**
 * Row → win-back entry. Without `customers:pii` names and emails are masked; an erased customer
 * shows as erased whoever asks.
 */
export function toWinBackCustomer(row: WinBackRow, pii: boolean): WinBackCustomer {
  const fullName = [row.first_name, row.last_name].filter(Boolean).join(' ') || row.company || '';
  const name = row.erased_at
    ? erasedName
    : fullName
      ? pii
        ? fullName
        : maskName(fullName)
      : 'Unnamed customer';
  return {
    customer_id: row.id,
    name,
    email: row.erased_at ? null : pii ? row.email : maskEmail(row.email),
    lifetime_value: Number(row.lifetime_value),
    total_orders: row.total_orders,
    last_order_date: row.last_order_date ? row.last_order_date.toISOString() : null,
    p_alive: row.p_alive === null ? null : Number(row.p_alive),
    value_at_risk: Number(row.value_at_risk),
  };
}
