import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  Task,
  TaskList,
  taskCreateSchema,
  taskListQuerySchema,
  taskUpdateSchema,
} from '../../../shared/tasks.js';
import type { DB } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import type { JobHandler } from '../../platform/jobs.js';
import type { Principal } from '../../platform/principal.js';
import { enqueueMail, type MailMessage, mailConfigured } from '../../platform/mail.js';
import { insertEvent } from '../customers/customers.queries.js';
import { notify } from '../notifications/notifications.service.js';
import {
  type TaskRow,
  claimDueReminders,
  type DueReminder,
  deleteTaskRow,
  findTask,
  findTasks,
  insertTask,
  isActiveStaff,
  lockTask,
  updateTaskRow,
} from './tasks.queries.js';
import { customerExists } from '../customers/customer-refs.service.js';

type TaskListQuery = z.output<typeof taskListQuerySchema>;
type TaskCreateInput = z.output<typeof taskCreateSchema>;
type TaskUpdateInput = z.output<typeof taskUpdateSchema>;

export interface FollowUpTaskInput {
  customerId: string;
  title: string;
  dueAt: Date;
  assigneeId: string | null;
  createdBy: string | null;
}

/**
 * Creates a task in the caller's transaction (an interaction's follow-up date makes one). Its
 * assignee is notified when that is someone other than its creator; the `task_created` timeline
 * event is the caller's to write, since it knows the cause (the interaction writes its own).
 */
export async function createFollowUpTask(db: Kysely<DB>, input: FollowUpTaskInput): Promise<{ id: string }> {
  const created = await insertTask(db, {
    customer_id: input.customerId,
    title: input.title,
    due_at: input.dueAt,
    remind_at: input.dueAt,
    assignee_id: input.assigneeId,
    created_by: input.createdBy,
  });
  const task = await findTask(db, created.id);
  if (task?.assignee_id) await notifyAssigned(db, task, input.createdBy);
  return created;
}

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    customer: row.customer_id ? { id: row.customer_id, name: row.customer_name } : null,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name } : null,
    due_at: row.due_at?.toISOString() ?? null,
    remind_at: row.remind_at?.toISOString() ?? null,
    reminded_at: row.reminded_at?.toISOString() ?? null,
    done: row.done,
    done_at: row.done_at?.toISOString() ?? null,
    overdue: row.overdue,
    created_by: row.created_by,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A due time in a notification's plain text ("Due 26 Nov 2026, 08:42 UTC"); `data.due_at` has it exact. */
const dueText = (dueAt: Date | null) => (dueAt ? `Due ${utc.format(dueAt)} UTC` : null);

/** Where a task's notifications take the reader. */
const linkOf = (task: { customer_id: string | null }) =>
  task.customer_id ? `/customers/${task.customer_id}` : '/tasks';

const SORT_KEY = 'tasks:open,due_at';

function cursorOf(raw: string | undefined) {
  const cursor = decodeCursor(raw, SORT_KEY);
  if (!cursor) return null;
  const [done, dueAt] = typeof cursor.v === 'string' ? [cursor.v[0], cursor.v.slice(2)] : [];
  if ((done !== '0' && done !== '1') || Number.isNaN(Date.parse(dueAt || '2000-01-01'))) {
    throw badInput('cursor', 'The cursor is not valid for this list; start again without it');
  }
  return { done: done === '1', dueAt: dueAt || null, id: cursor.id };
}

export async function listTasks(
  deps: AppDeps,
  principal: Principal,
  query: TaskListQuery,
): Promise<TaskList> {
  const rows = await findTasks(
    deps.db,
    {
      assigneeId: query.assignee_id === 'me' ? principal.staffId : query.assignee_id,
      customerId: query.customer_id,
      done: query.done,
      dueBefore: query.due_before,
      overdue: query.overdue,
    },
    { limit: query.limit, cursor: cursorOf(query.cursor) },
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toTask),
    next_cursor:
      rows.length > query.limit && last ? encodeCursor({ s: SORT_KEY, v: last.sort_key, id: last.id }) : null,
  };
}

export async function getTask(db: Kysely<DB>, id: string): Promise<Task> {
  const row = await findTask(db, id);
  if (!row) throw notFound('Task');
  return toTask(row);
}

async function checkCustomer(db: Kysely<DB>, id: string | null | undefined) {
  if (id && !(await customerExists(db, id))) throw badInput('customer_id', 'No customer has this id');
}

async function checkAssignee(db: Kysely<DB>, id: string | null | undefined) {
  if (id && !(await isActiveStaff(db, id))) throw badInput('assignee_id', 'No active staff user has this id');
}

function checkReminder(remindAt: Date | null, dueAt: Date | null) {
  if (remindAt && dueAt && remindAt > dueAt) {
    throw badInput('remind_at', 'The reminder must not come after the due time');
  }
}

const dateOrNull = (v: string | null | undefined) => (v ? new Date(v) : null);

/** Timeline event and assignment notification of a new task, in its transaction. */
async function afterCreate(trx: Kysely<DB>, id: string, actorId: string | null) {
  const task = await findTask(trx, id);
  if (!task) return;
  if (task.customer_id) {
    await insertEvent(trx, {
      customer_id: task.customer_id,
      kind: 'task_created',
      actor_id: actorId,
      summary: `Task: ${task.title}`,
      data: { task_id: task.id, title: task.title, due_at: task.due_at?.toISOString() ?? null },
    });
  }
  if (task.assignee_id) await notifyAssigned(trx, task, actorId);
}

function notifyAssigned(trx: Kysely<DB>, task: TaskRow, actorId: string | null) {
  return notify(trx, {
    recipientIds: task.assignee_id ? [task.assignee_id] : [],
    kind: 'task_assigned',
    title: `Task assigned to you: ${task.title}`,
    body: dueText(task.due_at),
    link: linkOf(task),
    customerId: task.customer_id,
    actorId,
    data: { task_id: task.id, due_at: task.due_at?.toISOString() ?? null },
  });
}

export async function createTask(deps: AppDeps, principal: Principal, input: TaskCreateInput): Promise<Task> {
  const dueAt = dateOrNull(input.due_at);
  const remindAt = dateOrNull(input.remind_at);
  checkReminder(remindAt, dueAt);
  // no assignee given: the creator's own task; an explicit null leaves it unassigned
  const assigneeId = input.assignee_id === undefined ? principal.staffId : input.assignee_id;
  return deps.db.transaction().execute(async (trx) => {
    await checkCustomer(trx, input.customer_id);
    await checkAssignee(trx, assigneeId);
    const { id } = await insertTask(trx, {
      title: input.title,
      description: input.description ?? null,
      customer_id: input.customer_id ?? null,
      due_at: dueAt,
      remind_at: remindAt,
      assignee_id: assigneeId,
      created_by: principal.staffId,
    });
    await afterCreate(trx, id, principal.staffId);
    return getTask(trx, id);
  });
}

export async function updateTask(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: TaskUpdateInput,
): Promise<Task> {
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockTask(trx, id);
    if (!current) throw notFound('Task');
    if (current.version !== input.version) {
      throw new AppError(
        'version_conflict',
        `This task was changed by someone else (now version ${current.version})`,
        {
          current: await getTask(trx, id),
          errors: [{ field: 'version', message: `Expected ${current.version}` }],
        },
      );
    }
    const dueAt = input.due_at === undefined ? current.due_at : dateOrNull(input.due_at);
    const remindAt = input.remind_at === undefined ? current.remind_at : dateOrNull(input.remind_at);
    checkReminder(remindAt, dueAt);
    if (input.customer_id !== undefined) await checkCustomer(trx, input.customer_id);
    if (input.assignee_id !== undefined && input.assignee_id !== current.assignee_id) {
      await checkAssignee(trx, input.assignee_id);
    }
    const remindChanged = (remindAt?.getTime() ?? null) !== (current.remind_at?.getTime() ?? null);
    const completing = input.done === true && !current.done;
    const reopening = input.done === false && current.done;
    await updateTaskRow(trx, id, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.customer_id !== undefined ? { customer_id: input.customer_id } : {}),
      ...(input.assignee_id !== undefined ? { assignee_id: input.assignee_id } : {}),
      due_at: dueAt,
      // a new reminder time is a new reminder: delivered again when it comes
      ...(remindChanged ? { remind_at: remindAt, reminded_at: null } : {}),
      ...(completing ? { done: true, done_at: new Date() } : {}),
      ...(reopening ? { done: false, done_at: null } : {}),
    });
    const task = (await findTask(trx, id))!;
    if (completing && task.customer_id) {
      await insertEvent(trx, {
        customer_id: task.customer_id,
        kind: 'task_completed',
        actor_id: principal.staffId,
        summary: `Task done: ${task.title}`,
        data: { task_id: task.id, title: task.title },
      });
    }
    if (task.assignee_id && task.assignee_id !== current.assignee_id) {
      await notifyAssigned(trx, task, principal.staffId);
    }
    return toTask(task);
  });
}

/** Deletes a task; returns it as it was. */
export async function deleteTask(deps: AppDeps, principal: Principal, id: string): Promise<Task> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockTask(trx, id))) throw notFound('Task');
    const task = await getTask(trx, id);
    await deleteTaskRow(trx, id);
    if (task.customer) {
      await insertEvent(trx, {
        customer_id: task.customer.id,
        kind: 'task_deleted',
        actor_id: principal.staffId,
        summary: `Task deleted: ${task.title}`,
        data: { task_id: task.id, title: task.title, done: task.done, due_at: task.due_at },
      });
    }
    return task;
  });
}

export const TASK_REMINDERS_JOB = 'tasks.reminders';
const REMINDER_BATCH = 500;

/** The reminder email: what, when, for whom, and a link into the app when PUBLIC_URL is known. */
function reminderMail(deps: AppDeps, task: DueReminder & { recipient_email: string }): MailMessage {
  const lines = [`Reminder: ${task.title}`, ''];
  if (task.due_at) lines.push(`Due: ${task.due_at.toUTCString()}`);
  if (task.customer_name) lines.push(`Customer: ${task.customer_name}`);
  const base = deps.config.publicUrl?.replace(/\/$/, '');
  if (base) lines.push('', `Open it: ${base}${linkOf(task)}`);
  return { to: task.recipient_email, subject: `Reminder: ${task.title}`, text: `${lines.join('\n')}\n` };
}

/**
 * Delivers due reminders: each batch is claimed and marked delivered in the transaction that
 * writes its notifications (and queues its emails, when mail is configured), so a reminder is
 * delivered exactly once (a crash before commit leaves it due). The assignee is reminded; an
 * unassigned task reminds its creator.
 */
export async function deliverDueReminders(deps: AppDeps): Promise<number> {
  let delivered = 0;
  for (;;) {
    const batch = await deps.db.transaction().execute(async (trx) => {
      const due = await claimDueReminders(trx, REMINDER_BATCH);
      for (const task of due) {
        const recipient = task.assignee_id ?? task.created_by;
        if (!recipient) continue;
        await notify(trx, {
          recipientIds: [recipient],
          kind: 'task_reminder',
          title: `Reminder: ${task.title}`,
          body: dueText(task.due_at),
          link: linkOf(task),
          customerId: task.customer_id,
          actorId: null,
          data: { task_id: task.id, due_at: task.due_at?.toISOString() ?? null },
        });
        if (mailConfigured(deps.config) && task.recipient_email) {
          const mail = reminderMail(deps, { ...task, recipient_email: task.recipient_email });
          await enqueueMail(trx, mail, `task-reminder:${task.id}:${task.remind_at.toISOString()}`);
        }
      }
      return due.length;
    });
    delivered += batch;
    if (batch < REMINDER_BATCH) return delivered;
  }
}

/** The every-minute job (workers.ts schedules it). */
export const taskRemindersJob: JobHandler = async ({ deps }) => ({
  delivered: await deliverDueReminders(deps),
});
