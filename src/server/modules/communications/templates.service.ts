import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  EmailCategory,
  EmailTemplate,
  EmailTemplateVersion,
  RenderedEmail,
  emailTemplateCreateSchema,
  emailTemplateUpdateSchema,
  templatePreviewRequestSchema,
} from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import { maskEmail } from '../../platform/masking.js';
import { type Principal, can } from '../../platform/principal.js';
import {
  type TemplateVars,
  customerTemplateVars,
  renderTemplate,
  templateProblems,
} from './template-render.js';
import { toEmailTemplate, toEmailTemplateVersion } from './templates.mapper.js';
import {
  type TemplateContent,
  type TemplateRow,
  deleteTemplateRow,
  findTemplate,
  findTemplates,
  findVersion,
  findVersions,
  insertTemplate,
  insertVersion,
  lockTemplate,
  nameTaken,
  templateInUse,
  updateTemplateRow,
} from './templates.queries.js';

type CreateInput = z.output<typeof emailTemplateCreateSchema>;
type UpdateInput = z.output<typeof emailTemplateUpdateSchema>;
type PreviewInput = z.output<typeof templatePreviewRequestSchema>;

/** A 400 with one field error per problem when the given parts are not a usable template. */
export function assertUsableContent(content: Partial<TemplateContent>) {
  const errors = templateProblems(content);
  if (errors.length === 0) return;
  throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    errors,
  });
}

const duplicateName = (name: string) =>
  new AppError('duplicate', `name: A template called "${name}" already exists`, {
    errors: [{ field: 'name', message: 'Another template already has this name' }],
  });

/** The name index may still refuse when two requests take the same name at once. */
async function guardName<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (name !== undefined && isUniqueViolation(err, 'email_templates_name_key')) throw duplicateName(name);
    throw err;
  }
}

export async function listEmailTemplates(
  db: Kysely<DB>,
  includeArchived: boolean,
): Promise<{ data: EmailTemplate[] }> {
  return { data: (await findTemplates(db, includeArchived)).map(toEmailTemplate) };
}

export async function getEmailTemplate(db: Kysely<DB>, id: string): Promise<EmailTemplate> {
  const row = await findTemplate(db, id);
  if (!row) throw notFound('Email template');
  return toEmailTemplate(row);
}

/** A new template and its version 1. */
export async function createEmailTemplate(
  deps: AppDeps,
  principal: Principal,
  input: CreateInput,
): Promise<EmailTemplate> {
  const content = { subject: input.subject, body_html: input.body_html, body_text: input.body_text };
  assertUsableContent(content);
  const id = await guardName(input.name, () =>
    deps.db.transaction().execute(async (trx) => {
      if (await nameTaken(trx, input.name)) throw duplicateName(input.name);
      const id = await insertTemplate(trx, {
        name: input.name,
        description: input.description ?? null,
        category: input.category,
        created_by: principal.staffId,
      });
      await insertVersion(trx, id, 1, content, principal.staffId);
      return id;
    }),
  );
  return getEmailTemplate(deps.db, id);
}

function versionConflict(current: TemplateRow) {
  return new AppError(
    'version_conflict',
    `This template was changed by someone else (now version ${current.current_version})`,
    {
      current: toEmailTemplate(current),
      errors: [{ field: 'version', message: `Expected ${current.current_version}` }],
    },
  );
}

/**
 * Edits a template based on `version`. New subject or bodies make version + 1; name, description
 * and category are changed in place.
 */
export async function updateEmailTemplate(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: UpdateInput,
): Promise<EmailTemplate> {
  const given: Partial<TemplateContent> = {};
  for (const field of ['subject', 'body_html', 'body_text'] as const) {
    if (input[field] !== undefined) given[field] = input[field];
  }
  assertUsableContent(given);
  await guardName(input.name, () =>
    deps.db.transaction().execute(async (trx) => {
      const current = await lockTemplate(trx, id);
      if (!current) throw notFound('Email template');
      if (current.current_version !== input.version) throw versionConflict(current);
      if (current.archived) throw new AppError('conflict', 'This template is archived and cannot be edited');
      const next: TemplateContent = {
        subject: given.subject ?? current.subject,
        body_html: given.body_html ?? current.body_html,
        body_text: given.body_text ?? current.body_text,
      };
      const contentChanged =
        next.subject !== current.subject ||
        next.body_html !== current.body_html ||
        next.body_text !== current.body_text;
      const changes: Parameters<typeof updateTemplateRow>[2] = {};
      if (input.name !== undefined && input.name !== current.name) {
        if (await nameTaken(trx, input.name, id)) throw duplicateName(input.name);
        changes.name = input.name;
      }
      if (input.description !== undefined && input.description !== current.description) {
        changes.description = input.description;
      }
      if (input.category !== undefined && input.category !== current.category) {
        changes.category = input.category;
      }
      if (contentChanged) {
        changes.current_version = current.current_version + 1;
        await insertVersion(trx, id, changes.current_version, next, principal.staffId);
      }
      if (Object.keys(changes).length > 0) await updateTemplateRow(trx, id, changes);
    }),
  );
  return getEmailTemplate(deps.db, id);
}

/** Templates that sent mail (or have a campaign) are archived so reports keep them; others go. */
export async function deleteEmailTemplate(deps: AppDeps, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const current = await lockTemplate(trx, id);
    if (!current) throw notFound('Email template');
    if (await templateInUse(trx, id)) {
      if (!current.archived) await updateTemplateRow(trx, id, { archived: true });
    } else {
      await deleteTemplateRow(trx, id);
    }
  });
}

export async function listTemplateVersions(
  db: Kysely<DB>,
  id: string,
): Promise<{ data: EmailTemplateVersion[] }> {
  const rows = await findVersions(db, id);
  if (rows.length === 0) throw notFound('Email template');
  return { data: rows.map(toEmailTemplateVersion) };
}

export async function getTemplateVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
): Promise<EmailTemplateVersion> {
  const row = await findVersion(db, id, version);
  if (!row) throw notFound(`Version ${version} of this email template`);
  return toEmailTemplateVersion(row);
}

/**
 * The current version of a template, for sending: 404 naming template_id when there is none,
 * 400 on template_id when it is archived.
 */
export async function getTemplateForSending(
  db: Kysely<DB>,
  templateId: string,
): Promise<{
  id: string;
  name: string;
  category: EmailCategory;
  version: number;
  subject: string;
  body_html: string;
  body_text: string;
}> {
  const row = await findTemplate(db, templateId);
  if (!row) {
    throw new AppError('not_found', 'template_id: No email template has this id', {
      errors: [{ field: 'template_id', message: 'No email template has this id' }],
    });
  }
  if (row.archived) throw badInput('template_id', 'This template is archived');
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    version: row.current_version,
    subject: row.subject,
    body_html: row.body_html,
    body_text: row.body_text,
  };
}

/** What a preview without a customer shows: a plausible customer, every variable filled. */
const sampleVars: TemplateVars = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  full_name: 'Ada Lovelace',
  email: 'ada@example.com',
  company: 'Analytical Engines Ltd',
  customer_status: 'active',
  lifecycle_stage: 'loyal',
  lifetime_value: '1,234.50',
  total_orders: '7',
  average_order_value: '176.36',
  last_order_date: '4 Mar 2026',
};

/** Renders content (saved or not) as one customer, or the sample customer, would receive it. */
export async function previewTemplate(
  deps: AppDeps,
  principal: Principal,
  input: PreviewInput,
): Promise<RenderedEmail> {
  const { customer_id: customerId, ...content } = input;
  assertUsableContent(content);
  let vars = sampleVars;
  if (customerId) {
    const found = (await customerTemplateVars(deps.db, [customerId])).get(customerId);
    if (!found) {
      throw new AppError('not_found', 'customer_id: No customer has this id', {
        errors: [{ field: 'customer_id', message: 'No customer has this id' }],
      });
    }
    vars = can(principal, 'customers:pii') ? found : { ...found, email: maskEmail(found.email ?? '') ?? '' };
  }
  return renderTemplate(content, {
    ...vars,
    sender_name: principal.name ?? principal.email,
    // the real link is made per email when it is sent
    unsubscribe_url: '#unsubscribe',
  });
}
