import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { z } from 'zod';
import { contactMethods, customerStatuses, lifecycleStages } from '../../../shared/enums.js';
import {
  type CustomerCreate,
  type ImportField,
  type ImportReport,
  countryCodeSchema,
  importFields,
  phoneNumberSchema,
} from '../../../shared/customers.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import {
  findCustomerState,
  findEmailOwners,
  insertEvent,
  setCustomerState,
  syncPrimaryContact,
} from './customers.queries.js';
import { recordManualStage } from '../lifecycle/lifecycle.service.js';
import { insertCustomer } from './customers.service.js';

export const MAX_IMPORT_ROWS = 100_000;

/**
 * The delimiter is the header line's most frequent of `,` `;` and tab, and then the only one: a
 * semicolon file (what spreadsheets export where the comma is the decimal mark) keeps "Dupont, SA"
 * or "12,50" in one value instead of splitting it into two columns.
 */
function sniffDelimiter(text: Buffer): string {
  const header =
    text
      .subarray(0, 64 * 1024)
      .toString('utf8')
      .split(/\r\n|\r|\n/, 1)[0] ?? '';
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t']) {
    const n = header.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/**
 * Parses CSV text (comma, semicolon or tab; BOM tolerated) into a header row and data rows, with
 * each row's line in the file (the header is line 1) so rejections point where the user looks:
 * blank lines and line breaks inside quoted values are counted, not skipped over.
 */
export function parseCsv(text: Buffer): { headers: string[]; rows: string[][]; lines: number[] } {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
      delimiter: sniffDelimiter(text),
    }) as string[][];
  } catch (err) {
    throw badInput('file', `The file is not valid CSV: ${(err as Error).message}`);
  }
  const kept: { cells: string[]; line: number }[] = [];
  let line = 1;
  for (const cells of records) {
    if (cells.some((c) => c !== '')) kept.push({ cells, line });
    line += 1 + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  }
  const [header, ...rows] = kept;
  if (!header) throw badInput('file', 'The file is empty or has no header row');
  if (rows.length > MAX_IMPORT_ROWS) throw badInput('file', `At most ${MAX_IMPORT_ROWS} rows per import`);
  return { headers: header.cells, rows: rows.map((r) => r.cells), lines: rows.map((r) => r.line) };
}

const synonyms: Record<string, ImportField> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  firstname: 'first_name',
  givenname: 'first_name',
  forename: 'first_name',
  lastname: 'last_name',
  surname: 'last_name',
  familyname: 'last_name',
  company: 'company',
  companyname: 'company',
  organisation: 'company',
  organization: 'company',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  status: 'customer_status',
  customerstatus: 'customer_status',
  stage: 'lifecycle_stage',
  lifecyclestage: 'lifecycle_stage',
  source: 'acquisition_source',
  acquisitionsource: 'acquisition_source',
  acquisitiondate: 'acquisition_date',
  signupdate: 'acquisition_date',
  preferredcontactmethod: 'preferred_contact_method',
  address: 'address_line1',
  address1: 'address_line1',
  addressline1: 'address_line1',
  street: 'address_line1',
  address2: 'address_line2',
  addressline2: 'address_line2',
  city: 'city',
  town: 'city',
  region: 'region',
  state: 'region',
  province: 'region',
  postalcode: 'postal_code',
  postcode: 'postal_code',
  zip: 'postal_code',
  zipcode: 'postal_code',
  country: 'country',
  countrycode: 'country',
};

export function suggestMapping(headers: string[]): Record<string, ImportField | null> {
  const used = new Set<ImportField>();
  return Object.fromEntries(
    headers.map((h) => {
      const field = synonyms[h.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? null;
      if (!field || used.has(field)) return [h, null];
      used.add(field);
      return [h, field];
    }),
  );
}

export const importMappingSchema = z.record(
  z.string(),
  z.union([z.enum(importFields), z.literal(''), z.null()]),
);

const rowSchema = z.object({
  email: z.email('not a valid email address').max(320),
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
  company: z.string().max(200).optional(),
  phone: phoneNumberSchema.optional(),
  customer_status: z.enum(customerStatuses, `one of ${customerStatuses.join(', ')}`).optional(),
  lifecycle_stage: z.enum(lifecycleStages, `one of ${lifecycleStages.join(', ')}`).optional(),
  acquisition_source: z.string().max(100).optional(),
  acquisition_date: z.iso
    .datetime({ offset: true })
    .or(z.iso.date().transform((d) => `${d}T00:00:00Z`))
    .optional(),
  preferred_contact_method: z.enum(contactMethods, `one of ${contactMethods.join(', ')}`).optional(),
  address_line1: z.string().max(200).optional(),
  address_line2: z.string().max(200).optional(),
  city: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  postal_code: z.string().max(20).optional(),
  country: countryCodeSchema.optional(),
});
type ImportRow = z.infer<typeof rowSchema>;

function rowToCustomer(row: ImportRow): CustomerCreate {
  const hasAddress = row.address_line1 && row.city && row.country;
  return {
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    company: row.company,
    phone: row.phone,
    customer_status: row.customer_status,
    lifecycle_stage: row.lifecycle_stage,
    acquisition_source: row.acquisition_source ?? 'import',
    acquisition_date: row.acquisition_date,
    preferred_contact_method: row.preferred_contact_method,
    addresses: hasAddress
      ? [
          {
            line1: row.address_line1!,
            line2: row.address_line2 ?? null,
            city: row.city!,
            region: row.region ?? null,
            postal_code: row.postal_code ?? null,
            country: row.country!,
            is_primary: true,
          },
        ]
      : [],
  };
}

/**
 * Imports customers from CSV. The whole file is one transaction (a crash leaves nothing half
 * done); each row runs under a savepoint so a row the database refuses is reported, not fatal.
 * De-duplication is by email, against the database and earlier rows of the same file.
 */
export async function importCustomers(
  deps: AppDeps,
  principal: Principal,
  file: Buffer,
  mapping: Record<string, ImportField | '' | null>,
  mode: 'update' | 'skip',
): Promise<ImportReport> {
  const { headers, rows, lines } = parseCsv(file);
  const unknown = Object.keys(mapping).filter((h) => !headers.includes(h));
  if (unknown.length) throw badInput('mapping', `Columns not in the file: ${unknown.join(', ')}`);
  const columnOf = new Map<ImportField, number>();
  for (const [header, field] of Object.entries(mapping)) {
    if (!field) continue;
    if (columnOf.has(field)) throw badInput('mapping', `Two columns map to ${field}`);
    columnOf.set(field, headers.indexOf(header));
  }
  if (!columnOf.has('email'))
    throw badInput('mapping', 'Map one column to email: it is how duplicates are found');

  const report: ImportReport = { total_rows: rows.length, created: 0, updated: 0, skipped: 0, rejected: [] };
  await deps.db.transaction().execute(async (trx) => {
    for (const [index, cells] of rows.entries()) {
      const line = lines[index]!;
      const raw: Record<string, string> = {};
      for (const [field, col] of columnOf) {
        const value = cells[col]?.trim();
        if (value) raw[field] = value;
      }
      const parsed = rowSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = String(issue.path[0] ?? 'row');
        report.rejected.push({
          row: line,
          field,
          reason:
            raw[field] === undefined && field === 'email' ? 'email is missing' : `${field}: ${issue.message}`,
        });
        continue;
      }
      const row = parsed.data;
      await sql`savepoint import_row`.execute(trx);
      try {
        const [owner] = await findEmailOwners(trx, [row.email]);
        if (!owner) {
          await insertCustomer(trx, rowToCustomer(row), principal.staffId, {
            kind: 'imported',
            summary: 'Created by CSV import',
          });
          report.created++;
        } else if (mode === 'skip') {
          report.skipped++;
        } else {
          await mergeInto(trx, owner.customer_id, row, principal.staffId);
          report.updated++;
        }
        await sql`release savepoint import_row`.execute(trx);
      } catch (err) {
        await sql`rollback to savepoint import_row`.execute(trx);
        if (err instanceof AppError) {
          report.rejected.push({
            row: line,
            field: err.extra.errors?.[0]?.field ?? null,
            reason: err.message,
          });
        } else {
          throw err;
        }
      }
    }
  });
  return report;
}

/** Update mode: the file's non-empty values win; a new phone or address is added, not replaced. */
async function mergeInto(
  trx: Parameters<typeof findEmailOwners>[0],
  customerId: string,
  row: ImportRow,
  actorId: string,
) {
  const set: Record<string, unknown> = {};
  for (const f of [
    'first_name',
    'last_name',
    'company',
    'acquisition_source',
    'preferred_contact_method',
  ] as const) {
    if (row[f] !== undefined) set[f] = row[f];
  }
  if (row.acquisition_date) set.acquisition_date = row.acquisition_date;
  // a stage in the file is a choice made by hand: the lifecycle rules leave it alone
  const before = await findCustomerState(trx, customerId);
  if (row.lifecycle_stage) set.lifecycle_stage_manual = true;
  if (row.lifecycle_stage && row.lifecycle_stage !== before.lifecycle_stage) {
    await recordManualStage(
      trx,
      customerId,
      { from: before.lifecycle_stage, to: row.lifecycle_stage },
      actorId,
    );
  }
  await trx
    .updateTable('customers')
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', customerId)
    .execute();
  // status and stage live beside the metrics (migration 027); the customers row is locked first
  await setCustomerState(trx, customerId, {
    customer_status: row.customer_status,
    lifecycle_stage: row.lifecycle_stage,
  });
  if (row.phone) {
    await sql`
      insert into customer_phones (customer_id, phone, is_primary)
      select ${customerId}, ${row.phone}, not exists (select 1 from customer_phones where customer_id = ${customerId})
      where not exists (select 1 from customer_phones where customer_id = ${customerId} and phone = ${row.phone})`.execute(
      trx,
    );
  }
  const address = rowToCustomer(row).addresses?.[0];
  if (address) {
    await sql`
      insert into customer_addresses (customer_id, line1, line2, city, region, postal_code, country, is_primary)
      select ${customerId}, ${address.line1}, ${address.line2}, ${address.city}, ${address.region}, ${address.postal_code},
             ${address.country}, not exists (select 1 from customer_addresses where customer_id = ${customerId})
      where not exists (select 1 from customer_addresses where customer_id = ${customerId}
                        and line1 = ${address.line1} and city = ${address.city} and country = ${address.country})`.execute(
      trx,
    );
  }
  await syncPrimaryContact(trx, customerId);
  await insertEvent(trx, {
    customer_id: customerId,
    kind: 'imported',
    actor_id: actorId,
    summary: 'Updated by CSV import',
    data: { fields: Object.keys(row).filter((k) => k !== 'email') },
  });
}
