import { type Kysely, sql } from 'kysely';
import type { EmailCategory } from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';

/** A template with the content of its current version. */
function templatesWithContent(db: Kysely<DB>) {
  return db
    .selectFrom('email_templates as t')
    .innerJoin('email_template_versions as v', (join) =>
      join.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
    )
    .selectAll('t')
    .select(['v.subject', 'v.body_html', 'v.body_text']);
}

export type TemplateRow = NonNullable<Awaited<ReturnType<typeof findTemplate>>>;
export type TemplateVersionRow = NonNullable<Awaited<ReturnType<typeof findVersion>>>;

export function findTemplates(db: Kysely<DB>, includeArchived: boolean) {
  let q = templatesWithContent(db);
  if (!includeArchived) q = q.where('t.archived', '=', false);
  return q.orderBy(sql`lower(t.name)`).orderBy('t.id').execute();
}

export function findTemplate(db: Kysely<DB>, id: string) {
  return templatesWithContent(db).where('t.id', '=', id).executeTakeFirst();
}

/**
 * Locks the template for an edit, so two concurrent edits of one version cannot both win. The
 * row is locked alone, then read with its content in a later statement: locked through the join,
 * a waiting edit re-checked the join against the version row it had read before the winner
 * committed, found no row and answered 404 instead of the version conflict.
 */
export async function lockTemplate(db: Kysely<DB>, id: string) {
  const locked = await db
    .selectFrom('email_templates')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) return undefined;
  return templatesWithContent(db).where('t.id', '=', id).executeTakeFirst();
}

/** Another live (not archived) template with this name, case-insensitively. */
export async function nameTaken(db: Kysely<DB>, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('email_templates')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .where('archived', '=', false);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export interface TemplateContent {
  subject: string;
  body_html: string;
  body_text: string;
}

export async function insertTemplate(
  db: Kysely<DB>,
  values: { name: string; description: string | null; category: EmailCategory; created_by: string | null },
): Promise<string> {
  const row = await db
    .insertInto('email_templates')
    .values({ ...values, current_version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertVersion(
  db: Kysely<DB>,
  templateId: string,
  version: number,
  content: TemplateContent,
  createdBy: string | null,
) {
  await db
    .insertInto('email_template_versions')
    .values({ template_id: templateId, version, ...content, created_by: createdBy })
    .execute();
}

export async function updateTemplateRow(
  db: Kysely<DB>,
  id: string,
  changes: {
    name?: string;
    description?: string | null;
    category?: EmailCategory;
    current_version?: number;
    archived?: boolean;
  },
) {
  await db
    .updateTable('email_templates')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Whether any email or campaign refers to the template (then it is archived, not deleted). */
export async function templateInUse(db: Kysely<DB>, id: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .or([
          eb.exists(eb.selectFrom('emails').select(sql`1`.as('one')).where('template_id', '=', id)),
          eb.exists(eb.selectFrom('email_campaigns').select(sql`1`.as('one')).where('template_id', '=', id)),
        ])
        .as('used'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(row.used);
}

export async function deleteTemplateRow(db: Kysely<DB>, id: string) {
  await db.deleteFrom('email_templates').where('id', '=', id).execute();
}

export function findVersions(db: Kysely<DB>, templateId: string) {
  return db
    .selectFrom('email_template_versions')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('version', 'desc')
    .execute();
}

export function findVersion(db: Kysely<DB>, templateId: string, version: number) {
  return db
    .selectFrom('email_template_versions')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('version', '=', version)
    .executeTakeFirst();
}
