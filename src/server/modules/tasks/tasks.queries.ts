import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import type { DB, TasksTable } from '../../db/schema.js';

export interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  customer_id: string | null;
  customer_name: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  due_at: Date | null;
  remind_at: Date | null;
  reminded_at: Date | null;
  done: boolean;
  done_at: Date | null;
  overdue: boolean;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** The sort position, for the list's cursor: done, due time (text, exact), or '' for none. */
  sort_key: string;
}

/** The customer as people read it: the person's name, else the company, else the email. */
const customerName = sql<string | null>`coalesce(
  nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.company, c.email)`;

function selectTasks(db: Kysely<DB>) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('customers as c', 'c.id', 't.customer_id')
    .leftJoin('staff_users as a', 'a.id', 't.assignee_id')
    .select([
      't.id',
      't.title',
      't.description',
      't.customer_id',
      customerName.as('customer_name'),
      't.assignee_id',
      'a.name as assignee_name',
      't.due_at',
      't.remind_at',
      't.reminded_at',
      't.done',
      't.done_at',
      sql<boolean>`coalesce(not t.done and t.due_at < now(), false)`.as('overdue'),
      't.created_by',
      't.version',
      't.created_at',
      't.updated_at',
      sql<string>`case when t.done then '1' else '0' end || '|' || coalesce(t.due_at::text, '')`.as(
        'sort_key',
      ),
    ]);
}

export interface TaskFilters {
  assigneeId?: string | 'none';
  customerId?: string;
  done?: boolean;
  dueBefore?: string;
  overdue?: boolean;
}

/**
 * Tasks, open first, then by due time with no due time last: an open task that is overdue is due
 * before every other open one, so overdue come first. Keyset on (done, due_at nulls last, id).
 */
export function findTasks(
  db: Kysely<DB>,
  filters: TaskFilters,
  opts: { limit: number; cursor: { done: boolean; dueAt: string | null; id: string } | null },
): Promise<TaskRow[]> {
  const c = opts.cursor;
  // (done, due_at is null, due_at) orders exactly as `done, due_at nulls last`
  const after = c
    ? sql<boolean>`(t.done, t.due_at is null, coalesce(t.due_at, 'epoch'::timestamptz), t.id) >
        (${c.done}::boolean, ${c.dueAt === null}::boolean,
         coalesce(${c.dueAt}::timestamptz, 'epoch'::timestamptz), ${c.id}::uuid)`
    : null;
  return selectTasks(db)
    .$if(filters.assigneeId === 'none', (q) => q.where('t.assignee_id', 'is', null))
    .$if(filters.assigneeId !== undefined && filters.assigneeId !== 'none', (q) =>
      q.where('t.assignee_id', '=', filters.assigneeId!),
    )
    .$if(filters.customerId !== undefined, (q) => q.where('t.customer_id', '=', filters.customerId!))
    .$if(filters.done !== undefined, (q) => q.where('t.done', '=', filters.done!))
    .$if(filters.dueBefore !== undefined, (q) => q.where('t.due_at', '<', new Date(filters.dueBefore!)))
    .$if(filters.overdue === true, (q) => q.where('t.done', '=', false).where(sql<boolean>`t.due_at < now()`))
    .$if(filters.overdue === false, (q) =>
      q.where(sql<boolean>`not (not t.done and t.due_at is not null and t.due_at < now())`),
    )
    .$if(after !== null, (q) => q.where(after!))
    .orderBy('t.done', 'asc')
    .orderBy(sql`t.due_at asc nulls last`)
    .orderBy('t.id', 'asc')
    .limit(opts.limit + 1)
    .execute() as Promise<TaskRow[]>;
}

export function findTask(db: Kysely<DB>, id: string): Promise<TaskRow | undefined> {
  return selectTasks(db).where('t.id', '=', id).executeTakeFirst() as Promise<TaskRow | undefined>;
}

export function lockTask(db: Kysely<DB>, id: string) {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertTask(db: Kysely<DB>, values: Insertable<TasksTable>) {
  return db.insertInto('tasks').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Applies a change and moves the version on. */
export function updateTaskRow(db: Kysely<DB>, id: string, values: Updateable<TasksTable>) {
  return db
    .updateTable('tasks')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function deleteTaskRow(db: Kysely<DB>, id: string) {
  return db.deleteFrom('tasks').where('id', '=', id).execute();
}

export async function isActiveStaff(db: Kysely<DB>, id: string): Promise<boolean> {
  return !!(await db
    .selectFrom('staff_users')
    .select('id')
    .where('id', '=', id)
    .where('disabled', '=', false)
    .executeTakeFirst());
}

export interface DueReminder {
  id: string;
  title: string;
  customer_id: string | null;
  assignee_id: string | null;
  created_by: string | null;
  due_at: Date | null;
  remind_at: Date;
  /** Whom the reminder goes to (assignee, else creator), when still an enabled staff user. */
  recipient_email: string | null;
  customer_name: string | null;
}

/**
 * Claims up to `limit` due reminders and marks them delivered, in the caller's transaction. Rows
 * another transaction is delivering are skipped, so two processes never deliver one twice; a
 * reminder not yet claimed stays due (also across a restart) until a run delivers it.
 */
export async function claimDueReminders(db: Kysely<DB>, limit: number): Promise<DueReminder[]> {
  const result = await sql<DueReminder>`
    update tasks set reminded_at = now()
    where id in (
      select id from tasks
      where remind_at <= now() and reminded_at is null and not done
      order by remind_at
      limit ${limit}
      for update skip locked
    )
    returning id, title, customer_id, assignee_id, created_by, due_at, remind_at,
      (select s.email from staff_users s
        where s.id = coalesce(tasks.assignee_id, tasks.created_by) and not s.disabled) as recipient_email,
      (select coalesce(nullif(concat_ws(' ', c.first_name, c.last_name), ''), c.company, c.email)
        from customers c where c.id = tasks.customer_id) as customer_name`.execute(db);
  return result.rows;
}
