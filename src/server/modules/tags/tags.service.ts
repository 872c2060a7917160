import type { Kysely } from 'kysely';
import {
  type CustomerTag,
  type CustomerTags,
  DEFAULT_TAG_COLOR,
  type Tag,
  type customerTagsBodySchema,
  type tagCreateSchema,
  type tagUpdateSchema,
} from '../../../shared/tags.js';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Principal, can } from '../../platform/principal.js';
import { insertEvent } from '../customers/customers.queries.js';
import {
  type TagRow,
  deleteCustomerTag,
  deleteTagRow,
  findCustomerTags,
  findTagsOfCustomers,
  findTag,
  findTags,
  findTagsByIds,
  findTagsByNames,
  insertCustomerTags,
  insertTag,
  lockTag,
  recordTagDeletion,
  updateTagRow,
} from './tags.queries.js';
import { lockCustomerRef } from '../customers/customer-refs.service.js';

type TagCreateInput = z.output<typeof tagCreateSchema>;
type TagUpdateInput = z.output<typeof tagUpdateSchema>;
type CustomerTagsInput = z.output<typeof customerTagsBodySchema>;

function toTag(row: TagRow): Tag {
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    description: row.description,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    customer_count: Number(row.customer_count ?? 0),
  };
}

const duplicateName = (name: string) =>
  new AppError('duplicate', `A tag named "${name}" already exists`, {
    errors: [{ field: 'name', message: 'Another tag already has this name' }],
  });

export async function listTags(deps: AppDeps): Promise<Tag[]> {
  return (await findTags(deps.db)).map(toTag);
}

async function getTag(db: Kysely<DB>, id: string): Promise<Tag> {
  const row = await findTag(db, id);
  if (!row) throw notFound('Tag');
  return toTag(row);
}

export async function createTag(deps: AppDeps, principal: Principal, input: TagCreateInput): Promise<Tag> {
  const inserted = await insertTag(deps.db, {
    name: input.name,
    color: input.color ?? DEFAULT_TAG_COLOR,
    description: input.description ?? null,
    created_by: principal.staffId,
  });
  if (!inserted) throw duplicateName(input.name);
  return getTag(deps.db, inserted.id);
}

export async function updateTag(deps: AppDeps, id: string, input: TagUpdateInput): Promise<Tag> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await lockTag(trx, id))) throw notFound('Tag');
    try {
      await updateTagRow(trx, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.color !== undefined ? { color: input.color } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      });
    } catch (err) {
      if (isUniqueViolation(err, 'tags_name_key')) throw duplicateName(input.name ?? '');
      throw err;
    }
  });
  return getTag(deps.db, id);
}

/** Deletes the tag; every customer that carried it gets a `tag_removed` event. */
export async function deleteTag(deps: AppDeps, principal: Principal, id: string): Promise<Tag> {
  return deps.db.transaction().execute(async (trx) => {
    const tag = await lockTag(trx, id);
    if (!tag) throw notFound('Tag');
    const before = await getTag(trx, id);
    const untagged = await recordTagDeletion(trx, tag, principal.staffId);
    await deleteTagRow(trx, id);
    return { ...before, customer_count: untagged };
  });
}

/** The customer's tags, by name (the profile's `tags`). */
export function tagsOfCustomer(db: Kysely<DB>, customerId: string): Promise<CustomerTag[]> {
  return findCustomerTags(db, customerId);
}

/** Tags of several customers at once (a list page), by customer id. */
export async function tagsOfCustomers(db: Kysely<DB>, customerIds: string[]) {
  const byCustomer = new Map<string, CustomerTag[]>();
  for (const row of await findTagsOfCustomers(db, customerIds)) {
    const { customer_id, ...tag } = row;
    byCustomer.set(customer_id, [...(byCustomer.get(customer_id) ?? []), tag]);
  }
  return byCustomer;
}

/**
 * Resolves ids and names to tags: unknown ids and names are 400s naming the entry; with
 * `create_missing` unknown names become new tags, which needs `tags:manage`.
 */
export async function resolveTags(trx: Kysely<DB>, principal: Principal, input: CustomerTagsInput) {
  const ids = [...new Set(input.tag_ids ?? [])];
  const byId = await findTagsByIds(trx, ids);
  const knownIds = new Set(byId.map((t) => t.id));
  const missingId = (input.tag_ids ?? []).findIndex((id) => !knownIds.has(id));
  if (missingId >= 0) {
    throw new AppError('validation_failed', `tag_ids[${missingId}]: no such tag`, {
      errors: [{ field: `tag_ids[${missingId}]`, message: 'No tag has this id' }],
    });
  }
  const names = input.names ?? [];
  const byName = await findTagsByNames(trx, names);
  const known = new Set(byName.map((t) => t.name.toLowerCase()));
  const missing = names
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => !known.has(name.toLowerCase()))
    .filter(({ name }, i, all) => all.findIndex((m) => m.name.toLowerCase() === name.toLowerCase()) === i);
  if (missing.length > 0 && !input.create_missing) {
    const first = missing[0]!;
    throw new AppError('validation_failed', `No tag named "${first.name}"`, {
      errors: missing.map(({ name, index }) => ({
        field: `names[${index}]`,
        message: `No tag named "${name}"`,
      })),
    });
  }
  if (missing.length > 0 && !can(principal, 'tags:manage')) {
    throw new AppError('forbidden', 'Creating tags needs the tags:manage permission');
  }
  for (const { name } of missing) {
    // a concurrent request may create the same name: then the existing tag is used
    await insertTag(trx, {
      name,
      color: DEFAULT_TAG_COLOR,
      description: null,
      created_by: principal.staffId,
    });
  }
  const created = await findTagsByNames(
    trx,
    missing.map((m) => m.name),
  );
  return [...byId, ...byName, ...created];
}

/** Adds tags to a customer (idempotent); each newly added tag writes `tag_added` on the timeline. */
export async function addCustomerTags(
  deps: AppDeps,
  principal: Principal,
  customerId: string,
  input: CustomerTagsInput,
): Promise<CustomerTags> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockCustomerRef(trx, customerId))) throw notFound('Customer');
    const tags = await resolveTags(trx, principal, input);
    const unique = [...new Map(tags.map((t) => [t.id, t])).values()];
    const added = new Set(
      await insertCustomerTags(
        trx,
        customerId,
        unique.map((t) => t.id),
        principal.staffId,
      ),
    );
    for (const tag of unique.filter((t) => added.has(t.id))) {
      await insertEvent(trx, {
        customer_id: customerId,
        kind: 'tag_added',
        actor_id: principal.staffId,
        summary: `Tagged ${tag.name}`,
        data: { tag_id: tag.id, tag_name: tag.name, color: tag.color },
      });
    }
    return { data: await findCustomerTags(trx, customerId) };
  });
}

/** Removes one tag from a customer: 404 when the customer does not carry it. */
export async function removeCustomerTag(
  deps: AppDeps,
  principal: Principal,
  customerId: string,
  tagId: string,
): Promise<CustomerTags> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockCustomerRef(trx, customerId))) throw notFound('Customer');
    const [tag] = await findTagsByIds(trx, [tagId]);
    if (!tag || !(await deleteCustomerTag(trx, customerId, tagId))) {
      throw new AppError('not_found', 'This customer does not have this tag');
    }
    await insertEvent(trx, {
      customer_id: customerId,
      kind: 'tag_removed',
      actor_id: principal.staffId,
      summary: `Untagged ${tag.name}`,
      data: { tag_id: tag.id, tag_name: tag.name, color: tag.color },
    });
    return { data: await findCustomerTags(trx, customerId) };
  });
}
