import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface FollowUpTaskInput {
  customerId: string;
  title: string;
  dueAt: Date;
  assigneeId: string | null;
  createdBy: string | null;
}

/**
 * Creates a task in the caller's transaction (an interaction's follow-up date makes one); the
 * tasks module's own create adds validation, notifications and timeline events around this.
 */
export async function createFollowUpTask(db: Kysely<DB>, input: FollowUpTaskInput): Promise<{ id: string }> {
  return db
    .insertInto('tasks')
    .values({
      customer_id: input.customerId,
      title: input.title,
      due_at: input.dueAt,
      remind_at: input.dueAt,
      assignee_id: input.assigneeId,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
