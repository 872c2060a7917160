import { type Kysely, sql } from 'kysely';
import type { EmailEventKind } from '../../../shared/communications.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { machineAgentReason, truncateIp } from './machine-detection.js';

/**
 * One thing that happened to an email, from a pixel, a link, a provider, a reply or an
 * unsubscribe; the email by id, or by its tracking token (the open pixel's).
 */
export type EmailEventInput = EmailEventFields & ({ emailId: string } | { trackingToken: string });

interface EmailEventFields {
  kind: EmailEventKind;
  occurredAt?: Date;
  source: 'pixel' | 'link' | 'track' | 'inbound' | 'unsubscribe';
  linkPosition?: number | null;
  userAgent?: string | null;
  /** As received; stored truncated. */
  ip?: string | null;
  /** A provider's own verdict that a machine did it. */
  machine?: boolean;
  /** The same key twice is one event (a provider's event id, or a natural key). */
  dedupeKey?: string | null;
}

/** Clicks on different links of one email this close together are a scanner following every link. */
const ALL_LINKS_WINDOW_SECONDS = 2;

/**
 * Stores events (each once: a repeated dedupe key is skipped), flags machine opens and clicks,
 * and moves each email forward: first times, human and machine counts, and the status, which
 * only advances sent → delivered → opened → clicked → replied (a bounce ends a mail that was not
 * yet opened). An email that changes status gets a customer timeline event, which the database
 * announces to open browsers. Runs in the caller's transaction.
 */
export async function recordEmailEvents(
  db: Kysely<DB>,
  config: Config,
  events: readonly EmailEventInput[],
): Promise<{ recorded: number; duplicates: number }> {
  if (events.length === 0) return { recorded: 0, duplicates: 0 };
  const rows = events.map((e) => {
    const agentReason = e.kind === 'opened' || e.kind === 'clicked' ? machineAgentReason(e.userAgent) : null;
    return {
      email_id: 'emailId' in e ? e.emailId : null,
      tracking_token: 'trackingToken' in e ? e.trackingToken : null,
      kind: e.kind,
      occurred_at: (e.occurredAt ?? new Date()).toISOString(),
      machine_reason: e.machine ? 'provider' : agentReason,
      link_position: e.linkPosition ?? null,
      user_agent: e.userAgent ? e.userAgent.slice(0, 1000) : null,
      ip: e.ip ? truncateIp(e.ip) : null,
      source: e.source,
      dedupe_key: e.dedupeKey ?? null,
    };
  });

  // one statement (atomic on its own): a tracking hit costs one round trip to the database
  const result = await sql<{ recorded: number; all_links: number }>`
    with given as (
      select i.*, row_number() over () as n
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as i(
        email_id uuid, tracking_token text, kind text, occurred_at timestamptz, machine_reason text,
        link_position int, user_agent text, ip text, source text, dedupe_key text)
    ),
    -- an unknown pixel token is nobody's open: it drops out here
    input as (
      select g.n, coalesce(g.email_id, t.id) as email_id, g.kind, g.occurred_at, g.machine_reason,
             g.link_position, g.user_agent, g.ip, g.source, g.dedupe_key
      from given g left join emails t on g.email_id is null and t.tracking_token = g.tracking_token
      where coalesce(g.email_id, t.id) is not null
    ),
    classified as (
      select i.*,
        coalesce(i.machine_reason,
          case when i.kind in ('opened', 'clicked')
                    and i.occurred_at < coalesce(e.sent_at, e.created_at) + make_interval(secs => ${config.mail.machineSeconds})
               then 'too_soon' end,
          case when i.kind = 'clicked' and (
                 exists (select 1 from email_events o
                         where o.email_id = i.email_id and o.kind = 'clicked'
                           and o.link_position is distinct from i.link_position
                           and o.occurred_at between i.occurred_at - make_interval(secs => ${ALL_LINKS_WINDOW_SECONDS})
                                                 and i.occurred_at + make_interval(secs => ${ALL_LINKS_WINDOW_SECONDS}))
                 or exists (select 1 from input o
                            where o.email_id = i.email_id and o.kind = 'clicked' and o.n <> i.n
                              and o.link_position is distinct from i.link_position
                              and o.occurred_at between i.occurred_at - make_interval(secs => ${ALL_LINKS_WINDOW_SECONDS})
                                                    and i.occurred_at + make_interval(secs => ${ALL_LINKS_WINDOW_SECONDS})))
               then 'all_links' end) as verdict
      from input i join emails e on e.id = i.email_id
    ),
    inserted as (
      insert into email_events (email_id, kind, occurred_at, machine, machine_reason, link_position,
                                user_agent, ip, source, dedupe_key)
      select email_id, kind, occurred_at, verdict is not null, verdict, link_position, user_agent, ip,
             source, dedupe_key
      from classified order by n
      on conflict (dedupe_key) where dedupe_key is not null do nothing
      returning email_id, kind, occurred_at, machine, machine_reason
    ),
    per_email as (
      select email_id,
        min(occurred_at) filter (where kind = 'delivered') as delivered_at,
        min(occurred_at) filter (where kind = 'opened' and not machine) as opened_at,
        min(occurred_at) filter (where kind = 'clicked' and not machine) as clicked_at,
        min(occurred_at) filter (where kind = 'opened' and machine) as machine_opened_at,
        min(occurred_at) filter (where kind = 'clicked' and machine) as machine_clicked_at,
        min(occurred_at) filter (where kind = 'replied') as replied_at,
        min(occurred_at) filter (where kind = 'bounced') as bounced_at,
        min(occurred_at) filter (where kind = 'complained') as complained_at,
        min(occurred_at) filter (where kind = 'unsubscribed') as unsubscribed_at,
        count(*) filter (where kind = 'opened' and not machine)::int as opens,
        count(*) filter (where kind = 'clicked' and not machine)::int as clicks,
        count(*) filter (where kind = 'opened' and machine)::int as machine_opens,
        count(*) filter (where kind = 'clicked' and machine)::int as machine_clicks,
        -- the furthest stage a person (or the provider) reached in this batch
        max(case when kind = 'replied' then 5 when kind = 'clicked' and not machine then 4
                 when kind = 'opened' and not machine then 3 when kind = 'delivered' then 2 else 0 end) as stage,
        bool_or(kind = 'bounced') as bounced
      from inserted group by email_id
    ),
    before as (
      select e.id, e.status, e.customer_id, e.thread_id, e.subject, e.complained_at
      from emails e join per_email p on p.email_id = e.id
    ),
    updated as (
      update emails e set
        delivered_at = least(e.delivered_at, p.delivered_at),
        opened_at = least(e.opened_at, p.opened_at, p.clicked_at),
        clicked_at = least(e.clicked_at, p.clicked_at),
        machine_opened_at = least(e.machine_opened_at, p.machine_opened_at),
        machine_clicked_at = least(e.machine_clicked_at, p.machine_clicked_at),
        replied_at = least(e.replied_at, p.replied_at),
        bounced_at = least(e.bounced_at, p.bounced_at),
        complained_at = least(e.complained_at, p.complained_at),
        unsubscribed_at = least(e.unsubscribed_at, p.unsubscribed_at),
        open_count = e.open_count + p.opens,
        click_count = e.click_count + p.clicks,
        machine_open_count = e.machine_open_count + p.machine_opens,
        machine_click_count = e.machine_click_count + p.machine_clicks,
        status = case
          when e.status not in ('sent', 'delivered', 'opened', 'clicked', 'bounced') then e.status
          when p.stage > crm_email_stage(e.status) then
            (array['sent', 'delivered', 'opened', 'clicked', 'replied'])[p.stage]
          when p.bounced and e.status in ('sent', 'delivered') then 'bounced'
          else e.status end
      from per_email p
      where e.id = p.email_id
      returning e.id, e.status, e.complained_at
    ),
    timeline as (
      insert into customer_events (customer_id, kind, summary, data)
      select b.customer_id, 'email_' || u.status,
        case u.status
          when 'opened' then 'Opened “' || b.subject || '”'
          when 'clicked' then 'Clicked a link in “' || b.subject || '”'
          when 'replied' then 'Replied to “' || b.subject || '”'
          when 'bounced' then '“' || b.subject || '” bounced'
          else '“' || b.subject || '” ' || u.status end,
        jsonb_build_object('email_id', u.id, 'thread_id', b.thread_id, 'status', u.status)
      from updated u join before b on b.id = u.id
      where u.status <> b.status and u.status in ('opened', 'clicked', 'replied', 'bounced')
      union all
      select b.customer_id, 'email_complained', 'Marked “' || b.subject || '” as spam',
        jsonb_build_object('email_id', u.id, 'thread_id', b.thread_id)
      from updated u join before b on b.id = u.id
      where b.complained_at is null and u.complained_at is not null
    )
    select (select count(*) from inserted)::int as recorded,
           (select count(*) from inserted where machine_reason = 'all_links')::int as all_links`.execute(db);

  const recorded = Number(result.rows[0]?.recorded ?? 0);
  // an earlier click can only have become a scanner's if a new one was caught clicking everything
  const clicks = events.filter((e) => e.kind === 'clicked' && 'emailId' in e) as (EmailEventFields & {
    emailId: string;
  })[];
  if (Number(result.rows[0]?.all_links ?? 0) > 0 && clicks.length > 0) {
    const earliest = Math.min(...clicks.map((e) => (e.occurredAt ?? new Date()).getTime()));
    await reflagEarlierClicks(db, [...new Set(clicks.map((e) => e.emailId))], new Date(earliest));
  }
  return { recorded, duplicates: events.length - recorded };
}

/**
 * A scanner's first click looked human until its next one arrived: clicks already stored that now
 * have a click on another link within the window are re-flagged, and those emails' click figures
 * recomputed from their events (the one place a status can step back: our verdict changed, not
 * the reader's behaviour).
 */
async function reflagEarlierClicks(db: Kysely<DB>, emailIds: string[], earliest: Date) {
  const flagged = await sql<{ email_id: string }>`
    update email_events ev set machine = true, machine_reason = 'all_links'
    where ev.email_id in (${sql.join(emailIds.map((id) => sql`${id}::uuid`))})
      -- only clicks near this batch's can have gained a neighbour
      and ev.occurred_at >= ${earliest.toISOString()}::timestamptz - make_interval(secs => ${ALL_LINKS_WINDOW_SECONDS})
      and ev.kind = 'clicked' and not ev.machine
      and exists (select 1 from email_events o
                  where o.email_id = ev.email_id and o.kind = 'clicked' and o.id <> ev.id
                    and o.link_position is distinct from ev.link_position
                    and o.occurred_at between ev.occurred_at - make_interval(secs => ${ALL_LINKS_WINDOW_SECONDS})
                                          and ev.occurred_at + make_interval(secs => ${ALL_LINKS_WINDOW_SECONDS}))
    returning ev.email_id`.execute(db);
  const touched = [...new Set(flagged.rows.map((r) => r.email_id))];
  if (touched.length === 0) return;
  await sql`
    update emails e set
      click_count = c.clicks, machine_click_count = c.machine_clicks,
      clicked_at = c.clicked_at, machine_clicked_at = c.machine_clicked_at, opened_at = c.opened_at,
      status = case when e.status in ('opened', 'clicked')
                    then case when c.clicked_at is not null then 'clicked'
                              when c.opened_at is not null then 'opened'
                              when e.delivered_at is not null then 'delivered' else 'sent' end
                    else e.status end
    from (select email_id,
            count(*) filter (where kind = 'clicked' and not machine)::int as clicks,
            count(*) filter (where kind = 'clicked' and machine)::int as machine_clicks,
            min(occurred_at) filter (where kind = 'clicked' and not machine) as clicked_at,
            min(occurred_at) filter (where kind = 'clicked' and machine) as machine_clicked_at,
            -- a click implies an open, as when the events arrived
            min(occurred_at) filter (where not machine) as opened_at
          from email_events
          where kind in ('opened', 'clicked') and email_id in (${sql.join(touched.map((id) => sql`${id}::uuid`))})
          group by email_id) c
    where e.id = c.email_id`.execute(db);
}
