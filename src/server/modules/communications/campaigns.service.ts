import { type Kysely, sql } from 'kysely';
import type { Campaign, SkipReason } from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { mailConfigured } from '../../platform/mail.js';
import type { Principal } from '../../platform/principal.js';
import { getSegment } from '../segments/segments.service.js';
import { createTrackedLinks, deliverEmail, fromAddress, mailDomain } from './delivery.service.js';
import type { SendInput } from './send.service.js';
import { customerTemplateVars, renderTemplate } from './template-render.js';
import { getTemplateForSending, getTemplateVersion } from './templates.service.js';
import { unsubscribeUrl } from './tracking-urls.js';

export const EMAIL_CAMPAIGN_JOB = 'email.campaign';

/** Emails rendered and sent per round: one query for their customers' values, one transaction. */
const BATCH = 200;

function selectCampaigns(db: Kysely<DB>) {
  return db
    .selectFrom('email_campaigns as c')
    .innerJoin('email_templates as t', 't.id', 'c.template_id')
    .selectAll('c')
    .select([
      't.name as template_name',
      sql<number>`(select count(*) from emails e where e.campaign_id = c.id
                   and e.status not in ('queued', 'failed'))::int`.as('sent'),
      sql<Record<string, number> | null>`(select jsonb_object_agg(reason, n) from (
          select reason, count(*)::int as n from email_campaign_skips s where s.campaign_id = c.id
          group by reason) r)`.as('skipped_by_reason'),
    ]);
}

type CampaignRow = Awaited<ReturnType<ReturnType<typeof selectCampaigns>['executeTakeFirstOrThrow']>>;

function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    template: { id: row.template_id, name: row.template_name, version: row.template_version },
    segment: { id: row.segment_id, name: row.segment_name },
    status: row.status,
    job_id: row.job_id,
    recipients: row.recipients,
    sent: row.sent,
    skipped: row.skipped,
    skipped_by_reason: row.skipped_by_reason ?? {},
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}

export async function listCampaigns(db: Kysely<DB>): Promise<{ data: Campaign[] }> {
  const rows = await selectCampaigns(db).orderBy('c.created_at', 'desc').limit(200).execute();
  return { data: rows.map(toCampaign) };
}

export async function getCampaign(db: Kysely<DB>, id: string): Promise<Campaign> {
  const row = await selectCampaigns(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Campaign');
  return toCampaign(row);
}

/** Who a campaign left out and why, by customer id (keyset pages). */
export async function campaignSkipped(db: Kysely<DB>, id: string, limit: number, cursor?: string) {
  await getCampaign(db, id);
  const rows = await db
    .selectFrom('email_campaign_skips as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select([
      's.customer_id',
      's.reason',
      sql<string | null>`coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.company)`.as(
        'name',
      ),
    ])
    .where('s.campaign_id', '=', id)
    .$if(cursor !== undefined, (q) => q.where('s.customer_id', '>', cursor as string))
    .orderBy('s.customer_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    data: page.map((r) => ({ customer_id: r.customer_id, name: r.name, reason: r.reason as SkipReason })),
    next_cursor: rows.length > limit ? (page.at(-1)?.customer_id ?? null) : null,
  };
}

/**
 * A template to every member of a segment, as a background job: the campaign row and its job
 * are created in one transaction (202 with the job to follow).
 */
export async function startCampaign(deps: AppDeps, principal: Principal, input: SendInput) {
  const segmentId = input.segment_id as string;
  const { campaignId, jobId } = await deps.db.transaction().execute(async (trx) => {
    const template = await getTemplateForSending(trx, input.template_id as string);
    const segment = await getSegment(trx, segmentId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'not_found')
        throw badInput('segment_id', 'No segment has this id');
      throw err;
    });
    const day = new Date().toISOString().slice(0, 10);
    const campaign = await trx
      .insertInto('email_campaigns')
      .values({
        name: input.campaign_name ?? `${template.name} · ${segment.name} · ${day}`,
        template_id: template.id,
        template_version: template.version,
        segment_id: segment.id,
        segment_name: segment.name,
        created_by: principal.staffId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = await enqueueJob(trx, {
      kind: EMAIL_CAMPAIGN_JOB,
      payload: { campaign_id: campaign.id },
      createdBy: principal.staffId,
    });
    await trx.updateTable('email_campaigns').set({ job_id: job }).where('id', '=', campaign.id).execute();
    return { campaignId: campaign.id, jobId: job as string };
  });
  return {
    campaign: await getCampaign(deps.db, campaignId),
    job_id: jobId,
    status_url: `/api/crm/jobs/${jobId}`,
    outbox: !mailConfigured(deps.config),
  };
}

/**
 * Fixes the recipients, once: every member of the segment now, less those who may not get
 * marketing (or, for a transactional template, any) mail, who are recorded with the reason.
 * In SQL, one transaction; the emails are `queued` with their own thread, Message-ID and token.
 */
async function prepareRecipients(deps: AppDeps, campaignId: string) {
  await deps.db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom('email_campaigns as c')
      .innerJoin('email_templates as t', 't.id', 'c.template_id')
      .select([
        'c.id',
        'c.status',
        'c.segment_id',
        'c.template_id',
        'c.template_version',
        'c.created_by',
        't.category',
      ])
      .where('c.id', '=', campaignId)
      .forUpdate('c')
      .executeTakeFirst();
    if (c?.status !== 'queued') return;
    const version = await getTemplateVersion(trx, c.template_id, c.template_version);
    const candidates = sql`
      select c.id as customer_id, c.email,
        case when coalesce(c.communication_preferences ->> 'do_not_contact', 'false') = 'true' then 'do_not_contact'
             when c.communication_preferences -> 'email' ->> ${c.category} = 'false' then 'unsubscribed'
             when c.email is null then 'no_email' end as reason,
        coalesce(c.communication_preferences ->> 'tracking', 'true') <> 'false' as tracking
      from segment_members m join customers c on c.id = m.customer_id
      where m.segment_id = ${c.segment_id}`;
    await sql`
      insert into email_campaign_skips (campaign_id, customer_id, reason)
      select ${c.id}, x.customer_id, x.reason from (${candidates}) x where x.reason is not null`.execute(trx);
    await sql`
      insert into emails (id, customer_id, thread_id, direction, email_address, from_address, subject,
                          message_id, status, category, tracking, tracking_token, template_id,
                          template_version, campaign_id, sent_by)
      select y.id, y.customer_id, y.id, 'outbound', y.email, ${fromAddress(deps.config)}, ${version.subject},
             y.id::text || '@' || ${mailDomain(deps.config)}, 'queued', ${c.category}, y.tracking,
             replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''),
             ${c.template_id}, ${c.template_version}, ${c.id}, ${c.created_by}
      from (select gen_random_uuid() as id, x.* from (${candidates}) x where x.reason is null) y`.execute(
      trx,
    );
    await sql`
      update email_campaigns set status = 'sending',
        recipients = (select count(*) from emails where campaign_id = ${c.id}),
        skipped = (select count(*) from email_campaign_skips where campaign_id = ${c.id})
      where id = ${c.id}`.execute(trx);
  });
}

/** Renders a batch of the campaign's emails with each customer's values, and their links. */
async function renderBatch(deps: AppDeps, campaignId: string, ids: string[]) {
  await deps.db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom('email_campaigns as c')
      .leftJoin('staff_users as s', 's.id', 'c.created_by')
      .select(['c.template_id', 'c.template_version', 's.name', 's.email'])
      .where('c.id', '=', campaignId)
      .executeTakeFirstOrThrow();
    const version = await getTemplateVersion(trx, c.template_id, c.template_version);
    const emails = await trx
      .selectFrom('emails')
      .select(['id', 'customer_id', 'tracking', 'tracking_token'])
      .where('id', 'in', ids)
      .where('body_html', 'is', null)
      .execute();
    const vars = await customerTemplateVars(
      trx,
      emails.map((e) => e.customer_id),
    );
    for (const e of emails) {
      const rendered = renderTemplate(version, {
        ...(vars.get(e.customer_id) ?? {}),
        sender_name: c.name ?? c.email ?? '',
        unsubscribe_url: unsubscribeUrl(deps.config, e.tracking_token),
      });
      await trx
        .updateTable('emails')
        .set({ subject: rendered.subject, body_html: rendered.html, body_text: rendered.text })
        .where('id', '=', e.id)
        .execute();
      if (e.tracking) await createTrackedLinks(trx, deps.config, e.id, rendered.html);
    }
  });
}

/**
 * The campaign's job: fixes recipients, then renders and sends in batches with progress. Safe to
 * run again after a crash: recipients are fixed once, rendered emails are not re-rendered, sent
 * ones not re-sent. A message SMTP refuses fails alone (no retry inside a campaign).
 */
export const campaignJob: JobHandler = async ({ deps, job, progress }) => {
  const campaignId = String(job.payload.campaign_id);
  await prepareRecipients(deps, campaignId);
  const { recipients } = await deps.db
    .selectFrom('email_campaigns')
    .select('recipients')
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow();
  let done = 0;
  let failed = 0;
  for (;;) {
    const batch = await deps.db
      .selectFrom('emails')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'queued')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (batch.length === 0) break;
    const ids = batch.map((b) => b.id);
    await renderBatch(deps, campaignId, ids);
    for (const id of ids) {
      if ((await deliverEmail(deps, id, true)) === 'failed') failed += 1;
    }
    done += ids.length;
    await progress(Math.min(done, recipients), recipients);
  }
  await deps.db
    .updateTable('email_campaigns')
    .set({ status: 'sent', finished_at: sql`now()` })
    .where('id', '=', campaignId)
    .execute();
  const campaign = await getCampaign(deps.db, campaignId);
  return {
    campaign_id: campaignId,
    recipients: campaign.recipients,
    sent: campaign.sent,
    skipped: campaign.skipped,
    failed,
  };
};
