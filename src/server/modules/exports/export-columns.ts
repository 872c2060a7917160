import { type RawBuilder, sql } from 'kysely';
import { type ExportValueKind, exportField } from '../../../shared/export-fields.js';

type Sql = RawBuilder<unknown>;

/**
 * Each export field as an SQL expression over `customers as c`, the primary address `addr`
 * (a lateral join, only when an address field is chosen) and RFM scores `r` (left join). Names
 * come from this fixed table, never from input. Masking happens here, in the database, so
 * personal values the requester may not see never reach the server process.
 */
const expressions: Record<string, Sql> = {
  id: sql`c.id::text`,
  user_id: sql`c.user_id::text`,
  first_name: sql`c.first_name`,
  last_name: sql`c.last_name`,
  company: sql`c.company`,
  email: sql`c.email`,
  email_domain: sql`nullif(split_part(c.email, '@', 2), '')`,
  phone: sql`c.phone`,
  country: sql`m.country`,
  city: sql`addr.city`,
  region: sql`addr.region`,
  postal_code: sql`addr.postal_code`,
  street: sql`addr.street`,
  acquisition_source: sql`c.acquisition_source`,
  customer_status: sql`m.customer_status`,
  lifecycle_stage: sql`m.lifecycle_stage`,
  preferred_contact_method: sql`c.preferred_contact_method`,
  acquisition_date: sql`c.acquisition_date`,
  created_at: sql`c.created_at`,
  first_order_date: sql`m.first_order_date`,
  last_order_date: sql`m.last_order_date`,
  lifetime_value: sql`m.lifetime_value`,
  total_orders: sql`m.total_orders`,
  average_order_value: sql`m.average_order_value`,
  customer_value: sql`m.customer_value`,
  owner: sql`(select coalesce(s.name, s.email) from staff_users s where s.id = c.owner_id)`,
  has_account: sql`c.user_id is not null`,
  do_not_contact: sql`coalesce((c.communication_preferences->>'do_not_contact')::boolean, false)`,
  tags: sql`(select string_agg(t.name, ', ' order by t.name) from customer_tags ct
              join tags t on t.id = ct.tag_id where ct.customer_id = c.id)`,
  segments: sql`(select string_agg(s.name, ', ' order by s.name) from segment_members sm
                  join segments s on s.id = sm.segment_id where sm.customer_id = c.id)`,
  rfm_recency: sql`r.recency`,
  rfm_frequency: sql`r.frequency`,
  rfm_monetary: sql`r.monetary`,
  rfm_group: sql`r.rfm_group`,
};

/** The same masks as the API's (platform/masking.ts), in SQL: a***@example.com, ***42, ***. */
function masked(name: string, value: Sql): Sql {
  if (name === 'email') {
    return sql`case when ${value} is null then null
      when position('@' in ${value}) > 1 then left(${value}, 1) || '***' || substring(${value} from position('@' in ${value}))
      else '***' end`;
  }
  if (name === 'phone')
    return sql`case when ${value} is null then null else '***' || right(regexp_replace(${value}, '\\D', '', 'g'), 2) end`;
  return sql`case when ${value} is null then null else '***' end`;
}

const addressFields = new Set(['city', 'region', 'postal_code', 'street']);
const rfmFields = new Set(['rfm_recency', 'rfm_frequency', 'rfm_monetary', 'rfm_group']);

/**
 * A value as the CSV writer (writers/csv-writer.ts) prints it, for PostgreSQL's COPY to print the
 * same bytes: text neutralised against formulas (the writer's rule; NUL cannot be in a PostgreSQL
 * text), empty text as empty, ISO 8601 UTC dates with milliseconds, `true`/`false`, two-decimal money.
 */
function asCsvText(kind: ExportValueKind, value: Sql): Sql {
  switch (kind) {
    case 'text':
    case 'list':
      return sql`case when left(${value}, 1) in ('=', '+', '-', '@', chr(9), chr(13), chr(10))
        then '''' || ${value} else nullif(${value}, '') end`;
    case 'date':
      return sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'boolean':
      return sql`case when ${value} then 'true' when not ${value} then 'false' end`;
    case 'money':
      return sql`to_char(${value}, 'FM999999999999990.00')`;
    case 'integer':
      return value;
  }
}

/**
 * What the export's SELECT needs: one expression per field, and which joins. Columns are named
 * f0, f1, ... in field order (two fields must never collapse into one key of a row), or with
 * `csv` named by their labels and printed as the CSV writer prints them (for COPY's header).
 */
export function exportColumns(fields: readonly string[], maskedFields: ReadonlySet<string>, csv = false) {
  const list = fields.map((name, i) => {
    const expr = expressions[name];
    const field = exportField(name);
    if (!expr || !field) throw new Error(`export field without an expression: ${name}`);
    const value = maskedFields.has(name) ? masked(name, expr) : expr;
    return csv ? asCsvText(field.kind, value).as(field.label) : value.as(`f${i}`);
  });
  return {
    select: list,
    needsAddress: fields.some((f) => addressFields.has(f)),
    needsRfm: fields.some((f) => rfmFields.has(f)),
  };
}

/** The primary (else the oldest) address, one row per customer (joined laterally as `addr`). */
export const primaryAddress = sql<{
  city: string;
  region: string | null;
  postal_code: string | null;
  street: string;
}>`(
  select a.city, a.region, a.postal_code, concat_ws(', ', a.line1, a.line2) as street
  from customer_addresses a where a.customer_id = c.id
  order by a.is_primary desc, a.created_at limit 1)`;
