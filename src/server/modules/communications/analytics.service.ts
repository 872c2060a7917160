import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { z } from 'zod';
import type {
  analyticsQuerySchema,
  CommunicationAnalytics,
  Engagement,
} from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';
import { badInput } from '../../platform/errors.js';

type AnalyticsQuery = z.output<typeof analyticsQuerySchema>;

interface Counts {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  machine_opened: number;
  machine_clicked: number;
}

/**
 * Emails that reached each stage (an email counts once however often it was opened).
 * `opened`/`clicked` are people; `machine_*` are emails only machines opened or clicked, so a
 * privacy proxy's prefetch does not pass for a reader. A click counts as an open. Mail written to
 * the outbox counts as sent but never as delivered.
 */
const counts = sql`
  count(*)::int as sent,
  count(*) filter (where e.transport = 'smtp'
                     and (e.delivered_at is not null or e.opened_at is not null or e.replied_at is not null))::int as delivered,
  count(e.opened_at)::int as opened,
  count(e.clicked_at)::int as clicked,
  count(e.replied_at)::int as replied,
  count(e.bounced_at)::int as bounced,
  count(e.complained_at)::int as complained,
  count(e.unsubscribed_at)::int as unsubscribed,
  count(*) filter (where e.opened_at is null and e.machine_opened_at is not null)::int as machine_opened,
  count(*) filter (where e.clicked_at is null and e.machine_clicked_at is not null)::int as machine_clicked`;

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : 0);

/** Rates: delivery and bounce over sent; the rest over mail that did not bounce. */
function engagement(c: Counts): Engagement {
  const reached = Math.max(c.sent - c.bounced, 0);
  return {
    ...c,
    delivery_rate: rate(c.delivered, c.sent),
    bounce_rate: rate(c.bounced, c.sent),
    open_rate: rate(c.opened, reached),
    click_rate: rate(c.clicked, reached),
    reply_rate: rate(c.replied, reached),
    unsubscribe_rate: rate(c.unsubscribed, reached),
    machine_open_rate: rate(c.machine_opened, reached),
    machine_click_rate: rate(c.machine_clicked, reached),
  };
}

const DAY = 24 * 3600_000;

/**
 * Sent mail over a period (by the time it was sent), with its engagement over time, per
 * template version, per campaign and per campaign's segment. Filters narrow all of them.
 */
export async function communicationAnalytics(
  db: Kysely<DB>,
  q: AnalyticsQuery,
): Promise<CommunicationAnalytics> {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw badInput('from', 'from must be before to');
  if (to.getTime() - from.getTime() > 3 * 366 * DAY)
    throw badInput('from', 'Ask for at most three years at once');

  const filters: RawBuilder<unknown>[] = [
    sql`e.direction = 'outbound'`,
    sql`e.status not in ('queued', 'failed')`,
    sql`e.sent_at >= ${from}`,
    sql`e.sent_at < ${to}`,
  ];
  if (q.template_id) filters.push(sql`e.template_id = ${q.template_id}`);
  if (q.campaign_id) filters.push(sql`e.campaign_id = ${q.campaign_id}`);
  if (q.segment_id) filters.push(sql`cmp.segment_id = ${q.segment_id}`);
  const where = sql.join(filters, sql` and `);
  const base = sql`from emails e left join email_campaigns cmp on cmp.id = e.campaign_id where ${where}`;
  const withTemplates = sql`from emails e left join email_campaigns cmp on cmp.id = e.campaign_id
    join email_templates t on t.id = e.template_id where ${where}`;
  const unit = sql.lit(q.interval);

  const [totals, series, templates, campaigns, segments] = await Promise.all([
    sql<Counts>`select ${counts} ${base}`.execute(db),
    sql<Counts & { period: Date }>`
      with periods as (
        select generate_series(date_trunc(${unit}, ${from}::timestamptz at time zone 'UTC'),
                               date_trunc(${unit}, ${to}::timestamptz at time zone 'UTC'),
                               ('1 ' || ${q.interval})::interval) as period
      ),
      grouped as (
        select date_trunc(${unit}, e.sent_at at time zone 'UTC') as period, ${counts} ${base} group by 1
      )
      select p.period at time zone 'UTC' as period, coalesce(g.sent, 0) as sent, coalesce(g.delivered, 0) as delivered,
        coalesce(g.opened, 0) as opened, coalesce(g.clicked, 0) as clicked, coalesce(g.replied, 0) as replied,
        coalesce(g.bounced, 0) as bounced, coalesce(g.complained, 0) as complained,
        coalesce(g.unsubscribed, 0) as unsubscribed, coalesce(g.machine_opened, 0) as machine_opened,
        coalesce(g.machine_clicked, 0) as machine_clicked
      from periods p left join grouped g on g.period = p.period order by p.period`.execute(db),
    sql<Counts & { template_id: string; name: string; version: number }>`
      select e.template_id, t.name, e.template_version as version, ${counts} ${withTemplates}
      group by e.template_id, t.name, e.template_version order by sent desc, t.name, version
      limit 200`.execute(db),
    sql<Counts & { campaign_id: string; name: string }>`
      select cmp.id as campaign_id, cmp.name, ${counts}
      ${base} and e.campaign_id is not null
      group by cmp.id, cmp.name order by max(cmp.created_at) desc limit 200`.execute(db),
    sql<Counts & { segment_id: string | null; name: string }>`
      select cmp.segment_id, cmp.segment_name as name, ${counts}
      ${base} and e.campaign_id is not null
      group by cmp.segment_id, cmp.segment_name order by sent desc limit 200`.execute(db),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    interval: q.interval,
    totals: engagement(totals.rows[0] as Counts),
    series: series.rows.map(({ period, ...c }) => ({
      period: new Date(period).toISOString(),
      ...engagement(c),
    })),
    templates: templates.rows.map(({ template_id, name, version, ...c }) => ({
      template_id,
      name,
      version,
      ...engagement(c),
    })),
    campaigns: campaigns.rows.map(({ campaign_id, name, ...c }) => ({ campaign_id, name, ...engagement(c) })),
    segments: segments.rows.map(({ segment_id, name, ...c }) => ({ segment_id, name, ...engagement(c) })),
  };
}
