import { type Kysely, sql } from 'kysely';
import {
  CUSTOMER_COUNT_CAP,
  type Customer,
  type CustomerAddress,
  type CustomerCreate,
  type CustomerEmail,
  type CustomerList,
  type CustomerListQuery,
  type CustomerPhone,
  type CustomerUpdate,
} from '../../../shared/customers.js';
import type { DB } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import { type Principal, can } from '../../platform/principal.js';
import { tagsOfCustomer, tagsOfCustomers } from '../tags/tags.service.js';
import { segmentsOfCustomer } from '../segments/segments.service.js';
import { clearManualStage, recordManualStage } from '../lifecycle/lifecycle.service.js';
import { recordPreferenceHistory } from '../communications/preferences.service.js';
import { refuseErasedEmails } from '../privacy/erased-emails.js';
import { isMetricColumn } from '../criteria/criteria.source.js';
import { toCustomer, toCustomerRow, toTimelineEvent } from './customers.mapper.js';
import {
  type CustomerListFilter,
  compactCustomerCount,
  countAllCustomers,
  countCustomers,
  isFiltered,
  findContacts,
  findCustomerRow,
  findCustomerState,
  findEmailOwners,
  findRecentOrders,
  findTeamActivity,
  findTimeline,
  insertEvent,
  listCustomerPage,
  setCustomerState,
  syncPrimaryContact,
} from './customers.queries.js';

/**
 * The list's total: the maintained counter when nothing is filtered, otherwise matches counted
 * up to CUSTOMER_COUNT_CAP (exact below it). Later pages reuse the first page's total.
 */
async function listTotal(deps: AppDeps, principal: Principal, q: CustomerListFilter) {
  if (!isFiltered(q)) {
    const { total, deltas } = await countAllCustomers(deps.db);
    // fold the per-statement deltas now and then so summing them stays cheap
    if (deltas > 500) void compactCustomerCount(deps.db).catch(() => undefined);
    return { total, exact: true };
  }
  const n = await countCustomers(deps.db, q, principal.staffId, CUSTOMER_COUNT_CAP);
  return n > CUSTOMER_COUNT_CAP ? { total: CUSTOMER_COUNT_CAP, exact: false } : { total: n, exact: true };
}

export async function listCustomers(
  deps: AppDeps,
  principal: Principal,
  q: CustomerListFilter,
): Promise<CustomerList> {
  const sortKey = `${q.sort}:${q.order}`;
  const cursor = decodeCursor(q.cursor, sortKey);
  const carried = cursor?.t !== undefined ? { total: cursor.t, exact: cursor.x !== false } : null;
  // On PostgreSQL the page and the count run on two pooled connections at once.
  const [rows, counted] = await Promise.all([
    listCustomerPage(deps.db, q, principal.staffId, cursor),
    carried ?? listTotal(deps, principal, q),
  ]);
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  const pii = can(principal, 'customers:pii');
  const tags = await tagsOfCustomers(
    deps.db,
    page.map((r) => r.id),
  );
  return {
    data: page.map((r) => toCustomerRow(r, pii, tags.get(r.id) ?? [])),
    next_cursor:
      hasMore && last
        ? encodeCursor({ s: sortKey, v: last.sort_value, id: last.id, t: counted.total, x: counted.exact })
        : null,
    total: counted.total,
    total_exact: counted.exact,
  };
}

/** The exact number of matches, however many: asked for separately so it never delays rows. */
export async function countMatchingCustomers(deps: AppDeps, principal: Principal, q: CustomerListQuery) {
  if (!isFiltered(q)) return { total: (await countAllCustomers(deps.db)).total };
  return { total: await countCustomers(deps.db, q, principal.staffId) };
}

/** A 404 for unknown ids, without loading the profile (sub-resources need only this). */
export async function assertCustomerExists(db: Kysely<DB>, id: string): Promise<void> {
  const row = await db.selectFrom('customers').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Customer');
}

export async function getCustomer(db: Kysely<DB>, principal: Principal, id: string): Promise<Customer> {
  const row = await findCustomerRow(db, id);
  if (!row) throw notFound('Customer');
  const [contacts, orders, tags, segments] = await Promise.all([
    findContacts(db, id),
    findRecentOrders(db, id),
    tagsOfCustomer(db, id),
    segmentsOfCustomer(db, id),
  ]);
  return toCustomer(row, contacts, orders, can(principal, 'customers:pii'), tags, segments);
}

/** Exactly one primary per list: the first marked one, else the first entry. */
function withOnePrimary<T extends { is_primary?: boolean | undefined }>(
  items: T[],
): (T & { is_primary: boolean })[] {
  const primary = Math.max(
    0,
    items.findIndex((i) => i.is_primary),
  );
  return items.map((item, index) => ({ ...item, is_primary: index === primary }));
}

function duplicateEmail(field: string, email: string): AppError {
  return new AppError('duplicate', `A customer with the email ${email} already exists`, {
    errors: [{ field, message: 'Another customer already has this email' }],
  });
}

async function ensureEmailsFree(
  db: Kysely<DB>,
  emails: CustomerEmail[],
  field: (i: number) => string,
  self?: string,
) {
  const lowered = emails.map((e) => e.email.toLowerCase());
  const dupeInList = lowered.findIndex((e, i) => lowered.indexOf(e) !== i);
  if (dupeInList >= 0) {
    throw new AppError('validation_failed', 'The same email is listed twice', {
      errors: [{ field: field(dupeInList), message: 'Listed twice' }],
    });
  }
  const owners = await findEmailOwners(db, lowered);
  const taken = owners.find((o) => o.customer_id !== self);
  if (taken) throw duplicateEmail(field(lowered.indexOf(taken.email.toLowerCase())), taken.email);
  // an erased person must not come back through a form, an import or an order (issue 6)
  await refuseErasedEmails(
    db,
    emails.map((e) => e.email),
    field,
  );
}

async function assertOwnerExists(db: Kysely<DB>, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const owner = await db.selectFrom('staff_users').select('id').where('id', '=', ownerId).executeTakeFirst();
  if (!owner) {
    throw new AppError('validation_failed', 'owner_id: no such staff user', {
      errors: [{ field: 'owner_id', message: 'No staff user has this id' }],
    });
  }
}

async function replaceContacts(
  trx: Kysely<DB>,
  customerId: string,
  lists: {
    emails?: CustomerEmail[] | undefined;
    phones?: CustomerPhone[] | undefined;
    addresses?: CustomerAddress[] | undefined;
  },
) {
  if (lists.emails) {
    await trx.deleteFrom('customer_emails').where('customer_id', '=', customerId).execute();
    if (lists.emails.length) {
      await trx
        .insertInto('customer_emails')
        .values(
          withOnePrimary(lists.emails).map((e) => ({
            customer_id: customerId,
            email: e.email,
            label: e.label ?? null,
            is_primary: e.is_primary,
          })),
        )
        .execute();
    }
  }
  if (lists.phones) {
    await trx.deleteFrom('customer_phones').where('customer_id', '=', customerId).execute();
    if (lists.phones.length) {
      await trx
        .insertInto('customer_phones')
        .values(
          withOnePrimary(lists.phones).map((p) => ({
            customer_id: customerId,
            phone: p.phone,
            label: p.label ?? null,
            is_primary: p.is_primary,
          })),
        )
        .execute();
    }
  }
  if (lists.addresses) {
    await trx.deleteFrom('customer_addresses').where('customer_id', '=', customerId).execute();
    if (lists.addresses.length) {
      await trx
        .insertInto('customer_addresses')
        .values(
          withOnePrimary(lists.addresses).map((a) => ({
            customer_id: customerId,
            label: a.label ?? null,
            line1: a.line1,
            line2: a.line2 ?? null,
            city: a.city,
            region: a.region ?? null,
            postal_code: a.postal_code ?? null,
            country: a.country,
            is_primary: a.is_primary,
          })),
        )
        .execute();
    }
  }
}

/** Normalises the create body: the `email`/`phone` shorthands join the lists as primary. */
export function contactListsOf(input: CustomerCreate) {
  const emails = [...(input.emails ?? [])];
  if (input.email && !emails.some((e) => e.email.toLowerCase() === input.email!.toLowerCase())) {
    emails.unshift({ email: input.email, is_primary: true, label: null });
  }
  const phones = [...(input.phones ?? [])];
  if (input.phone && !phones.some((p) => p.phone === input.phone))
    phones.unshift({ phone: input.phone, is_primary: true, label: null });
  return { emails, phones, addresses: input.addresses ?? [] };
}

/** Inserts one customer with contacts inside the caller's transaction; returns its id. */
export async function insertCustomer(
  trx: Kysely<DB>,
  input: CustomerCreate,
  actorId: string | null,
  event: { kind: 'customer_created' | 'imported'; summary: string },
): Promise<string> {
  const lists = contactListsOf(input);
  // when the `email` shorthand was put in front of the list, list index i is the body's emails[i - 1]
  const shorthandFirst = lists.emails.length > (input.emails?.length ?? 0);
  await ensureEmailsFree(trx, lists.emails, (i) =>
    !shorthandFirst ? `emails[${i}].email` : i === 0 ? 'email' : `emails[${i - 1}].email`,
  );
  await assertOwnerExists(trx, input.owner_id);
  const { id } = await trx
    .insertInto('customers')
    .values({
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
      company: input.company ?? null,
      // a stage given on creation (by hand or in an import) is a choice the rules must respect
      lifecycle_stage_manual: input.lifecycle_stage !== undefined && input.lifecycle_stage !== 'lead',
      acquisition_source: input.acquisition_source ?? null,
      ...(input.acquisition_date ? { acquisition_date: input.acquisition_date } : {}),
      preferred_contact_method: input.preferred_contact_method ?? 'email',
      communication_preferences: JSON.stringify(input.communication_preferences ?? {}),
      owner_id: input.owner_id ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // the row on customer_metrics was made by the insert, as a prospect and a lead
  await setCustomerState(trx, id, {
    customer_status: input.customer_status,
    lifecycle_stage: input.lifecycle_stage,
  });
  try {
    await replaceContacts(trx, id, lists);
  } catch (err) {
    if (isUniqueViolation(err, 'customer_emails_email_key'))
      throw duplicateEmail('email', lists.emails[0]?.email ?? '');
    throw err;
  }
  await syncPrimaryContact(trx, id);
  await insertEvent(trx, { customer_id: id, kind: event.kind, actor_id: actorId, summary: event.summary });
  return id;
}

export async function createCustomer(
  deps: AppDeps,
  principal: Principal,
  input: CustomerCreate,
): Promise<Customer> {
  if (!input.first_name && !input.last_name && !input.company && !input.email && !input.emails?.length) {
    throw new AppError('validation_failed', 'Give at least a name, a company or an email', {
      errors: [{ field: 'first_name', message: 'Give at least a name, a company or an email' }],
    });
  }
  const id = await deps.db.transaction().execute((trx) =>
    insertCustomer(trx, input, principal.staffId, {
      kind: 'customer_created',
      summary: `Created by ${principal.name ?? principal.email}`,
    }),
  );
  return getCustomer(deps.db, principal, id);
}

const trackedFields = [
  'first_name',
  'last_name',
  'company',
  'customer_status',
  'lifecycle_stage',
  'acquisition_source',
  'preferred_contact_method',
  'owner_id',
] as const;

/**
 * Version-checked update: the row is locked, its version compared, and a stale edit gets 409
 * with the current record so the client can show what changed and offer to overwrite.
 */
export async function updateCustomer(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: CustomerUpdate,
): Promise<Customer> {
  if (input.lifecycle_stage_auto && input.lifecycle_stage) {
    throw badInput(
      'lifecycle_stage_auto',
      'Either set a stage by hand or hand it back to the rules, not both',
    );
  }
  if (!can(principal, 'customers:pii') && (input.emails || input.phones || input.addresses)) {
    throw new AppError('forbidden', 'Changing contact details needs the customers:pii permission');
  }
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Customer');
    // the customers row lock also holds off order refreshes of this customer's state (they lock it first)
    const current = { ...row, ...(await findCustomerState(trx, id)) };
    // anonymised for good: editing it would only put personal data back on the record
    if (current.erased_at) throw new AppError('conflict', 'This customer was erased and cannot be edited');
    if (current.version !== input.version) {
      throw new AppError(
        'version_conflict',
        `This customer was changed by someone else (now version ${current.version})`,
        {
          current: await getCustomer(trx, principal, id),
          errors: [{ field: 'version', message: `Expected ${current.version}` }],
        },
      );
    }
    if (input.emails) await ensureEmailsFree(trx, input.emails, (i) => `emails[${i}].email`, id);
    if (input.owner_id !== undefined) await assertOwnerExists(trx, input.owner_id);

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of trackedFields) {
      const next = input[field];
      if (next !== undefined && next !== current[field]) changes[field] = { from: current[field], to: next };
    }
    const before = input.emails || input.phones || input.addresses ? await findContacts(trx, id) : null;
    const stageByHand =
      input.lifecycle_stage !== undefined && input.lifecycle_stage !== current.lifecycle_stage;
    await trx
      .updateTable('customers')
      .set({
        ...Object.fromEntries(
          trackedFields
            .filter((f) => input[f] !== undefined && !isMetricColumn(f))
            .map((f) => [f, input[f] ?? null]),
        ),
        ...(input.acquisition_date ? { acquisition_date: input.acquisition_date } : {}),
        ...(input.communication_preferences
          ? { communication_preferences: JSON.stringify(input.communication_preferences) }
          : {}),
        ...(stageByHand ? { lifecycle_stage_manual: true } : {}),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute();
    // only what moved: an unchanged value would still cost the metrics row a new version
    await setCustomerState(trx, id, {
      customer_status: changes.customer_status ? input.customer_status : undefined,
      lifecycle_stage: changes.lifecycle_stage ? input.lifecycle_stage : undefined,
    });
    if (stageByHand) {
      await recordManualStage(
        trx,
        id,
        { from: current.lifecycle_stage, to: input.lifecycle_stage! },
        principal.staffId,
      );
    }
    if (input.lifecycle_stage_auto && current.lifecycle_stage_manual) {
      await clearManualStage(trx, id);
      changes.lifecycle_stage_manual = { from: true, to: false };
    }
    try {
      await replaceContacts(trx, id, input);
    } catch (err) {
      if (isUniqueViolation(err, 'customer_emails_email_key')) throw duplicateEmail('emails', '');
      throw err;
    }
    await syncPrimaryContact(trx, id);
    if (before) {
      const after = await findContacts(trx, id);
      for (const key of ['emails', 'phones', 'addresses'] as const) {
        if (
          input[key] &&
          JSON.stringify(before[key].map(stripId)) !== JSON.stringify(after[key].map(stripId))
        ) {
          changes[key] = { from: before[key].map(stripId), to: after[key].map(stripId) };
        }
      }
    }
    if (input.communication_preferences) {
      changes.communication_preferences = {
        from: current.communication_preferences,
        to: input.communication_preferences,
      };
      // the preference history (what consent changed, by whom) covers edits made here too
      await recordPreferenceHistory(trx, {
        customerId: id,
        before: current.communication_preferences,
        after: input.communication_preferences,
        source: 'staff',
        changedBy: principal.staffId,
      });
    }
    if (Object.keys(changes).length > 0) {
      await insertEvent(trx, {
        customer_id: id,
        kind: 'profile_updated',
        actor_id: principal.staffId,
        summary: `Updated ${Object.keys(changes)
          .map((k) => k.replaceAll('_', ' '))
          .join(', ')}`,
        data: { changes },
      });
    }
  });
  return getCustomer(deps.db, principal, id);
}

function stripId<T extends { id: string }>(item: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = item;
  return rest;
}

export async function customerTimeline(
  deps: AppDeps,
  principal: Principal,
  id: string,
  q: { kind?: string[] | undefined; limit: number; cursor?: string | undefined },
) {
  await assertCustomerExists(deps.db, id);
  const sortKey = 'timeline';
  const cursor = decodeCursor(q.cursor, sortKey);
  const rows = await findTimeline(deps.db, id, { kinds: q.kind, limit: q.limit, cursor });
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  const pii = can(principal, 'customers:pii');
  return {
    data: page.map((r) =>
      pii ? toTimelineEvent(r) : { ...toTimelineEvent(r), data: maskEventData(r.data) },
    ),
    next_cursor: hasMore && last ? encodeCursor({ s: sortKey, v: last.occurred_key, id: last.id }) : null,
  };
}

/** The team activity feed: staff actions across customers, newest first, by cursor. */
export async function teamActivity(
  deps: AppDeps,
  principal: Principal,
  q: {
    kind?: string[] | undefined;
    actor_id?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const sortKey = 'activity';
  const cursor = decodeCursor(q.cursor, sortKey);
  const actorId = q.actor_id === 'me' ? principal.staffId : q.actor_id;
  const rows = await findTeamActivity(deps.db, { actorId, kinds: q.kind, limit: q.limit, cursor });
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  const pii = can(principal, 'customers:pii');
  return {
    data: page.map((r) => {
      const event = toTimelineEvent(r);
      return {
        ...event,
        data: pii ? event.data : maskEventData(r.data),
        customer: { id: r.customer_id, name: r.customer_name },
      };
    }),
    next_cursor: hasMore && last ? encodeCursor({ s: sortKey, v: last.occurred_key, id: last.id }) : null,
  };
}

/** Profile-change events can carry contact details: those are hidden without `customers:pii`. */
function maskEventData(data: Record<string, unknown>): Record<string, unknown> {
  const changes = data.changes as Record<string, unknown> | undefined;
  if (!changes) return data;
  const masked = { ...changes };
  for (const key of ['emails', 'phones', 'addresses'])
    if (key in masked) masked[key] = { from: '***', to: '***' };
  return { ...data, changes: masked };
}
