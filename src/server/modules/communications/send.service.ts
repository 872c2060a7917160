import { randomUUID } from 'node:crypto';
import MarkdownIt from 'markdown-it';
import type { z } from 'zod';
import type {
  EmailCategory,
  SendResult,
  sendEmailSchema,
  SkipReason,
} from '../../../shared/communications.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import { mailConfigured } from '../../platform/mail.js';
import type { Principal } from '../../platform/principal.js';
import {
  createTrackedLinks,
  enqueueDelivery,
  fromAddress,
  mailDomain,
  newToken,
} from './delivery.service.js';
import { toEmail } from './emails.mapper.js';
import { findEmail, findRecipient } from './emails.queries.js';
import { effectivePreferences, skipReasonFor } from './preferences.rules.js';
import { customerTemplateVars, renderTemplate } from './template-render.js';
import { getTemplateForSending } from './templates.service.js';
import { unsubscribeUrl } from './tracking-urls.js';

export type SendInput = z.output<typeof sendEmailSchema>;

// staff write one-to-one mail in markdown; raw HTML stays text, URLs become links
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

/** Why this customer gets no mail of this category, or null when they may. */
function skipReason(
  recipient: { email: string | null; communication_preferences: Record<string, unknown> },
  category: EmailCategory,
): SkipReason | null {
  return (
    skipReasonFor(effectivePreferences(recipient.communication_preferences), category) ??
    (recipient.email ? null : 'no_email')
  );
}

/**
 * One email to one customer, free text (markdown) or a template rendered with their data,
 * optionally as a reply in a thread. Preferences are checked first: a customer who may not get
 * it is reported as skipped, with the reason, and nothing is stored. Otherwise the email is stored
 * as `queued` with its tracked links and its delivery queued, in one transaction.
 */
export async function sendToCustomer(deps: AppDeps, principal: Principal, input: SendInput) {
  const customerId = input.customer_id as string;
  const outbox = !mailConfigured(deps.config);
  const outcome = await deps.db
    .transaction()
    .execute(async (trx): Promise<{ id: string } | { skipped: SkipReason }> => {
      const recipient = await findRecipient(trx, customerId);
      if (!recipient) {
        throw new AppError('not_found', 'customer_id: No customer has this id', {
          errors: [{ field: 'customer_id', message: 'No customer has this id' }],
        });
      }
      const template = input.template_id ? await getTemplateForSending(trx, input.template_id) : null;
      const category = input.category ?? template?.category ?? 'transactional';
      const reason = skipReason(recipient, category);
      if (reason) return { skipped: reason };

      const parent = input.in_reply_to_email_id
        ? await findEmail(trx, input.in_reply_to_email_id)
        : undefined;
      if (input.in_reply_to_email_id && parent?.customer_id !== customerId) {
        throw badInput('in_reply_to_email_id', 'No email of this customer has this id');
      }
      const parentRefs = parent
        ? await trx
            .selectFrom('emails')
            .select(['message_id', 'reference_ids'])
            .where('id', '=', parent.id)
            .executeTakeFirstOrThrow()
        : undefined;

      const id = randomUUID();
      const token = newToken();
      const tracking = effectivePreferences(recipient.communication_preferences).tracking;
      let content: { subject: string; html: string; text: string };
      if (template) {
        const vars = (await customerTemplateVars(trx, [customerId])).get(customerId) ?? {};
        content = renderTemplate(template, {
          ...vars,
          sender_name: principal.name ?? principal.email,
          unsubscribe_url: unsubscribeUrl(deps.config, token),
        });
      } else {
        const body = input.body as string;
        content = { subject: input.subject as string, html: markdown.render(body), text: body };
      }
      await trx
        .insertInto('emails')
        .values({
          id,
          customer_id: customerId,
          thread_id: parent?.thread_id ?? id,
          direction: 'outbound',
          email_address: recipient.email as string,
          from_address: fromAddress(deps.config),
          subject: content.subject,
          body_text: content.text,
          body_html: content.html,
          message_id: `${id}@${mailDomain(deps.config)}`,
          in_reply_to: parentRefs?.message_id ?? null,
          reference_ids: parentRefs ? [...parentRefs.reference_ids, parentRefs.message_id] : [],
          status: 'queued',
          category,
          tracking,
          tracking_token: token,
          template_id: template?.id ?? null,
          template_version: template?.version ?? null,
          sent_by: principal.staffId,
        })
        .execute();
      if (tracking) await createTrackedLinks(trx, deps.config, id, content.html);
      await enqueueDelivery(trx, id);
      return { id };
    });

  if ('skipped' in outcome) {
    return {
      email: null,
      skipped: [{ customer_id: customerId, reason: outcome.skipped }],
      outbox,
    } satisfies SendResult;
  }
  const row = await findEmail(deps.db, outcome.id);
  if (!row) throw notFound('Email');
  return { email: toEmail(row), skipped: [], outbox } satisfies SendResult;
}
