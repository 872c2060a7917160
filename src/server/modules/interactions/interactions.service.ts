import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  Interaction,
  InteractionList,
  InteractionListQuery,
  interactionCreateSchema,
  interactionUpdateSchema,
} from '../../../shared/interactions.js';
import { snippetOf } from '../../../shared/mentions.js';
import type { DB } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { badInput, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { insertEvent } from '../customers/customers.queries.js';
import { assertAuthorOrAdmin, versionConflict } from '../notes/notes.service.js';
import { createFollowUpTask } from '../tasks/tasks.service.js';
import {
  type InteractionRow,
  type InteractionValues,
  deleteInteractionRow,
  findInteraction,
  findInteractions,
  insertInteraction,
  lockInteraction,
  setFollowUpTask,
  updateInteractionRow,
} from './interactions.queries.js';
import { customerExists, lockCustomerRef } from '../customers/customer-refs.service.js';

type InteractionCreateInput = z.output<typeof interactionCreateSchema>;
type InteractionUpdateInput = z.output<typeof interactionUpdateSchema>;

const typeLabels: Record<Interaction['interaction_type'], string> = {
  email: 'Email',
  phone: 'Phone call',
  chat: 'Chat',
  meeting: 'Meeting',
  order: 'Order conversation',
};

export function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    customer_id: row.customer_id,
    interaction_type: row.interaction_type,
    subject: row.subject,
    description: row.description,
    outcome: row.outcome,
    occurred_at: row.occurred_at.toISOString(),
    follow_up_date: row.follow_up_date ? row.follow_up_date.toISOString() : null,
    follow_up_task_id: row.follow_up_task_id,
    author: row.created_by ? { id: row.created_by, name: row.author_name } : null,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

async function loadInteraction(db: Kysely<DB>, id: string): Promise<InteractionRow> {
  const row = await findInteraction(db, id);
  if (!row) throw notFound('Interaction');
  return row;
}

export async function getInteraction(db: Kysely<DB>, id: string): Promise<Interaction> {
  return toInteraction(await loadInteraction(db, id));
}

const sortKey = 'interactions:occurred_at';

export async function listInteractions(
  deps: AppDeps,
  customerId: string,
  q: InteractionListQuery,
): Promise<InteractionList> {
  if (!(await customerExists(deps.db, customerId))) throw notFound('Customer');
  const cursor = decodeCursor(q.cursor, sortKey);
  let after: { occurred: string; id: string } | null = null;
  if (cursor) {
    if (typeof cursor.v !== 'string' || Number.isNaN(Date.parse(cursor.v))) {
      throw badInput('cursor', 'The cursor is not valid for this list; start again without it');
    }
    after = { occurred: cursor.v, id: cursor.id };
  }
  const rows = await findInteractions(deps.db, customerId, {
    type: q.interaction_type,
    limit: q.limit,
    after,
  });
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map(toInteraction),
    next_cursor: hasMore && last ? encodeCursor({ s: sortKey, v: last.occurred_key, id: last.id }) : null,
  };
}

/** The follow-up becomes a task for whoever logged or set it, in the caller's transaction. */
async function makeFollowUp(
  trx: Kysely<DB>,
  principal: Principal,
  interaction: { id: string; customer_id: string; subject: string },
  dueAt: Date,
): Promise<string> {
  const title = `Follow up: ${interaction.subject}`.slice(0, 200);
  const task = await createFollowUpTask(trx, {
    customerId: interaction.customer_id,
    title,
    dueAt,
    assigneeId: principal.staffId,
    createdBy: principal.staffId,
  });
  await insertEvent(trx, {
    customer_id: interaction.customer_id,
    kind: 'task_created',
    actor_id: principal.staffId,
    summary: `Task: ${title}`,
    data: { task_id: task.id, interaction_id: interaction.id, title, due_at: dueAt.toISOString() },
  });
  return task.id;
}

export async function createInteraction(
  deps: AppDeps,
  principal: Principal,
  customerId: string,
  input: InteractionCreateInput,
): Promise<Interaction> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockCustomerRef(trx, customerId))) throw notFound('Customer');
    const values: InteractionValues = {
      interaction_type: input.interaction_type,
      subject: input.subject,
      description: input.description ?? null,
      outcome: input.outcome ?? null,
      occurred_at: input.occurred_at ? new Date(input.occurred_at) : new Date(),
      follow_up_date: input.follow_up_date ? new Date(input.follow_up_date) : null,
    };
    const { id } = await insertInteraction(trx, {
      ...values,
      customer_id: customerId,
      created_by: principal.staffId,
    });
    let taskId: string | null = null;
    if (values.follow_up_date) {
      taskId = await makeFollowUp(
        trx,
        principal,
        { id, customer_id: customerId, subject: values.subject },
        values.follow_up_date,
      );
      await setFollowUpTask(trx, id, taskId);
    }
    await insertEvent(trx, {
      customer_id: customerId,
      kind: 'interaction_logged',
      actor_id: principal.staffId,
      summary: `${typeLabels[values.interaction_type]}: ${values.subject}`,
      data: {
        interaction_id: id,
        interaction_type: values.interaction_type,
        subject: values.subject,
        snippet: snippetOf(values.description ?? values.outcome ?? values.subject),
        ...(values.outcome ? { outcome: snippetOf(values.outcome) } : {}),
        ...(taskId ? { follow_up_task_id: taskId } : {}),
      },
    });
    return toInteraction(await loadInteraction(trx, id));
  });
}

type Change = { before: string | null; after: string | null };
const asText = (v: string | Date | null) => (v instanceof Date ? v.toISOString() : v);

/**
 * What an edit changed, with before and after for the timeline; long texts (description,
 * outcome) as one-line snippets, since the interaction itself keeps the full text.
 */
function changedFields(current: InteractionValues, next: InteractionValues): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const key of Object.keys(next) as (keyof InteractionValues)[]) {
    const before = asText(current[key]);
    const after = asText(next[key]);
    if (before === after) continue;
    const long = key === 'description' || key === 'outcome';
    changes[key] = {
      before: long && before ? snippetOf(before, 80) : before,
      after: long && after ? snippetOf(after, 80) : after,
    };
  }
  return changes;
}

/**
 * Edits an interaction (its author or an administrator). A follow-up date set where there was
 * none, or whose task is gone, creates a task; moving an existing follow-up leaves its task alone.
 */
export async function updateInteraction(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: InteractionUpdateInput,
): Promise<Interaction> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockInteraction(trx, id))) throw notFound('Interaction');
    const current = await loadInteraction(trx, id);
    assertAuthorOrAdmin(principal, current.created_by, 'interaction');
    if (current.version !== input.version) throw versionConflict('interaction', toInteraction(current));
    const values: InteractionValues = {
      interaction_type: input.interaction_type ?? current.interaction_type,
      subject: input.subject ?? current.subject,
      description: input.description !== undefined ? input.description : current.description,
      outcome: input.outcome !== undefined ? input.outcome : current.outcome,
      occurred_at: input.occurred_at ? new Date(input.occurred_at) : current.occurred_at,
      follow_up_date:
        input.follow_up_date === undefined
          ? current.follow_up_date
          : input.follow_up_date === null
            ? null
            : new Date(input.follow_up_date),
    };
    let taskId = current.follow_up_task_id;
    const given = input.follow_up_date ? values.follow_up_date : null;
    const moved = given && current.follow_up_date?.getTime() !== given.getTime();
    // newly set: there was no follow-up, or it moved and its task is gone (deleted on purpose
    // otherwise: saving the same date again does not bring it back)
    if (given && (!current.follow_up_date || (moved && !current.follow_up_task_id))) {
      taskId = await makeFollowUp(
        trx,
        principal,
        { id, customer_id: current.customer_id, subject: values.subject },
        given,
      );
    }
    await updateInteractionRow(trx, id, { ...values, follow_up_task_id: taskId });
    const changes = changedFields(current, values);
    if (Object.keys(changes).length > 0) {
      await insertEvent(trx, {
        customer_id: current.customer_id,
        kind: 'interaction_updated',
        actor_id: principal.staffId,
        summary: `Edited ${typeLabels[values.interaction_type].toLowerCase()} “${values.subject}”: ${Object.keys(
          changes,
        )
          .map((k) => k.replaceAll('_', ' '))
          .join(', ')}`,
        data: {
          interaction_id: id,
          interaction_type: values.interaction_type,
          subject: values.subject,
          changes,
        },
      });
    }
    return toInteraction(await loadInteraction(trx, id));
  });
}

export async function deleteInteraction(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<Interaction> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockInteraction(trx, id))) throw notFound('Interaction');
    const interaction = toInteraction(await loadInteraction(trx, id));
    assertAuthorOrAdmin(principal, interaction.author?.id ?? null, 'interaction');
    await deleteInteractionRow(trx, id);
    await insertEvent(trx, {
      customer_id: interaction.customer_id,
      kind: 'interaction_deleted',
      actor_id: principal.staffId,
      summary: `Deleted ${typeLabels[interaction.interaction_type].toLowerCase()} “${interaction.subject}”`,
      data: {
        interaction_id: id,
        interaction_type: interaction.interaction_type,
        subject: interaction.subject,
        occurred_at: interaction.occurred_at,
      },
    });
    return interaction;
  });
}
