import type { Customer, CustomerRow, OrderSummary, TimelineEvent } from '../../../shared/customers.js';
import type { CustomerTag } from '../../../shared/tags.js';
import { maskEmail, maskPhone, maskText } from '../../platform/masking.js';
import type {
  CustomerDetailRow,
  CustomerListRow,
  TimelineRow,
  findContacts,
  findRecentOrders,
} from './customers.queries.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (v: string | number) => Number(v);

/** Row → API shape; without `customers:pii` emails, phones and street lines are masked. */
export function toCustomerRow(
  row: CustomerListRow | CustomerDetailRow,
  pii: boolean,
  tags: CustomerTag[],
): CustomerRow {
  return {
    id: row.id,
    user_id: row.user_id,
    first_name: row.first_name,
    last_name: row.last_name,
    email: pii ? row.email : maskEmail(row.email),
    phone: pii ? row.phone : maskPhone(row.phone),
    company: row.company,
    country: row.country,
    customer_status: row.customer_status,
    lifecycle_stage: row.lifecycle_stage,
    customer_value: num(row.customer_value),
    lifetime_value: num(row.lifetime_value),
    total_orders: row.total_orders,
    average_order_value: num(row.average_order_value),
    last_order_date: iso(row.last_order_date),
    first_order_date: iso(row.first_order_date),
    acquisition_date: row.acquisition_date.toISOString(),
    acquisition_source: row.acquisition_source,
    preferred_contact_method: row.preferred_contact_method,
    owner: row.owner_id
      ? { id: row.owner_id, name: row.owner_name ?? null, email: row.owner_email ?? '' }
      : null,
    tags,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toOrderSummary(o: Awaited<ReturnType<typeof findRecentOrders>>[number]): OrderSummary {
  return {
    id: o.id,
    external_id: o.external_id,
    status: o.status,
    currency: o.currency,
    total: num(o.total),
    item_count: o.item_count,
    placed_at: o.placed_at.toISOString(),
  };
}

export function toCustomer(
  row: CustomerDetailRow,
  contacts: Awaited<ReturnType<typeof findContacts>>,
  recentOrders: Awaited<ReturnType<typeof findRecentOrders>>,
  pii: boolean,
  tags: CustomerTag[],
  segments: { id: string; name: string }[],
): Customer {
  return {
    ...toCustomerRow(row, pii, tags),
    lifecycle_stage_manual: row.lifecycle_stage_manual,
    erased_at: iso(row.erased_at),
    communication_preferences: row.communication_preferences,
    emails: contacts.emails.map((e) => ({ ...e, email: pii ? e.email : (maskEmail(e.email) ?? '') })),
    phones: contacts.phones.map((p) => ({ ...p, phone: pii ? p.phone : (maskPhone(p.phone) ?? '') })),
    addresses: contacts.addresses.map((a) =>
      pii
        ? a
        : {
            ...a,
            line1: maskText(a.line1) ?? '',
            line2: maskText(a.line2),
            postal_code: maskText(a.postal_code),
          },
    ),
    segments,
    recent_orders: recentOrders.map(toOrderSummary),
  };
}

export function toTimelineEvent(row: TimelineRow): TimelineEvent {
  return {
    id: row.id,
    kind: row.kind as TimelineEvent['kind'],
    occurred_at: row.occurred_at.toISOString(),
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name } : null,
    summary: row.summary,
    data: row.data ?? {},
  };
}
