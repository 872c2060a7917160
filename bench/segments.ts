/**
 * Segmentation at scale (issue 3's bars), run by bench/run.ts after the list timings:
 * preview counts while typing, the full refresh of 20 automatic segments, the re-evaluation after
 * one change, bulk tagging of 100,000 matching customers and RFM rescoring. Everything it creates
 * (segments, a tag, events, jobs) is removed at the end.
 */
import { sql } from 'kysely';
import type { CriteriaGroup, CriteriaNode } from '../src/shared/criteria/index.js';
import { validateCriteria } from '../src/shared/criteria/index.js';
import type { Database } from '../src/server/db/connect.js';
import type { AppDeps } from '../src/server/platform/deps.js';
import type { Workers } from '../src/server/workers.js';
import { rescoreRfm } from '../src/server/modules/rfm/rfm.service.js';
import {
  refreshAutoSegments,
  refreshDirtyCustomers,
} from '../src/server/modules/segments/segment-refresh.service.js';
import { markdownTable, ms, percentile } from './lib/stats.js';

type Request = <T>(path: string, json?: unknown) => Promise<{ body: T; ms: number }>;

const r = (field: string, op: string, value?: unknown): CriteriaNode =>
  value === undefined ? { field, op } : { field, op, value };
const all = (...rules: CriteriaNode[]): CriteriaGroup => ({ match: 'all', rules });
const any = (...rules: CriteriaNode[]): CriteriaGroup => ({ match: 'any', rules });

/** Three-rule criteria a marketer types while building a segment. */
const previews: [string, CriteriaGroup][] = [
  [
    'LTV ≥ 500, loyal or customer, US',
    all(
      r('lifetime_value', 'gte', 500),
      r('lifecycle_stage', 'in', ['loyal', 'customer']),
      r('country', 'eq', 'US'),
    ),
  ],
  [
    '5+ orders, ordered in 90 days, DE or FR',
    all(
      r('total_orders', 'gte', 5),
      r('last_order_date', 'within_last_days', 90),
      r('country', 'in', ['DE', 'FR']),
    ),
  ],
  [
    'bought Coffee in 180 days, LTV ≥ 200, active',
    all(
      r('orders', 'purchased', { category: 'Coffee', within_days: 180 }),
      r('lifetime_value', 'gte', 200),
      r('customer_status', 'eq', 'active'),
    ),
  ],
  [
    'gmail, champions or loyal RFM, not lost',
    all(
      r('email_domain', 'eq', 'gmail.com'),
      r('rfm_group', 'in', ['champions', 'loyal']),
      r('lifecycle_stage', 'neq', 'lost'),
    ),
  ],
  [
    'at risk, AOV ≥ 150, referral or newsletter',
    all(
      r('lifecycle_stage', 'eq', 'at_risk'),
      r('average_order_value', 'gte', 150),
      any(r('acquisition_source', 'eq', 'referral'), r('acquisition_source', 'eq', 'newsletter')),
    ),
  ],
];

/** Twenty automatic segments of the kinds stores keep: value, stage, recency, product, RFM. */
const autoSegments: [string, CriteriaGroup][] = [
  ['VIP', all(r('lifetime_value', 'gte', 1000))],
  ['Loyal', all(r('lifecycle_stage', 'eq', 'loyal'))],
  ['High-value at risk', all(r('lifecycle_stage', 'eq', 'at_risk'), r('lifetime_value', 'gte', 500))],
  ['Lapsed repeat buyers', all(r('last_order_date', 'older_than_days', 90), r('total_orders', 'gte', 2))],
  ['New this month', all(r('created_at', 'within_last_days', 30))],
  ['US active', all(r('country', 'eq', 'US'), r('customer_status', 'eq', 'active'))],
  ['Gmail leads', all(r('email_domain', 'eq', 'gmail.com'), r('lifecycle_stage', 'eq', 'lead'))],
  ['Coffee buyers, 180 days', all(r('orders', 'purchased', { category: 'Coffee', within_days: 180 }))],
  ['Tea buyers', all(r('orders', 'purchased', { category: 'Tea' }))],
  ['Spent 500+ in 90 days', all(r('spend_in_days', 'gte', { days: 90, amount: 500 }))],
  ['2+ orders in 30 days', all(r('orders_count_in_days', 'gte', { days: 30, amount: 2 }))],
  ['Champions', all(r('rfm_group', 'eq', 'champions'))],
  ['Cannot lose', all(r('rfm_group', 'in', ['cannot_lose', 'at_risk']))],
  ['One-time buyers', all(r('total_orders', 'eq', 1))],
  ['EU', all(r('country', 'in', ['DE', 'FR', 'ES', 'NL', 'IT', 'SE']))],
  ['High AOV', all(r('average_order_value', 'gte', 200))],
  ['Referrals', all(r('acquisition_source', 'eq', 'referral'))],
  ['Companies worth 300+', all(r('company', 'is_not_empty'), r('lifetime_value', 'gte', 300))],
  ['Long lost', all(r('lifecycle_stage', 'eq', 'lost'), r('last_order_date', 'older_than_days', 365))],
  ['Recent big spenders (RFM)', all(r('rfm_recency', 'gte', 4), r('rfm_monetary', 'gte', 4))],
];

const BULK_TAG = 'bench: bulk tagging';
const PREFIX = 'bench: ';

export interface SegmentBenchOptions {
  database: Database;
  deps: AppDeps;
  workers: Workers;
  staffId: string;
  request: Request;
  requests: number;
  log: (line: string) => void;
}

function check(name: string, tree: CriteriaGroup) {
  const v = validateCriteria(tree);
  if (!v.ok) throw new Error(`${name}: ${JSON.stringify(v.errors)}`);
}

async function cleanUp(o: SegmentBenchOptions) {
  const db = o.database.db;
  await sql`delete from customer_events where kind in ('segment_entered', 'segment_left')
            and data->>'segment_name' like ${`${PREFIX}%`}`.execute(db);
  await sql`delete from customer_events where kind in ('tag_added', 'tag_removed')
            and data->>'tag_name' = ${BULK_TAG}`.execute(db);
  await sql`delete from segments where name like ${`${PREFIX}%`}`.execute(db);
  await sql`delete from tags where name = ${BULK_TAG}`.execute(db);
  await sql`delete from jobs where created_by = ${o.staffId} or kind = 'segments.refresh'`.execute(db);
  await sql`delete from segment_dirty_customers`.execute(db);
}

export async function benchSegments(o: SegmentBenchOptions) {
  const db = o.database.db;
  const pg = o.database.engine === 'postgres';
  const rows: string[][] = [];
  const facts: string[] = [];
  for (const [name, tree] of [...previews, ...autoSegments]) check(name, tree);
  await cleanUp(o);
  try {
    // 0. RFM rescoring first, so the RFM-based segments below have scores to read
    o.log('timing: RFM rescoring');
    const rfm = await rescoreRfm(o.deps);
    await sql`delete from jobs where kind = 'segments.refresh'`.execute(db);
    rows.push([
      'RFM rescoring, all customers',
      `${rfm.customers_scored.toLocaleString('en-US')} scored, ${rfm.customers_changed.toLocaleString('en-US')} changed`,
      `${(rfm.duration_ms / 1000).toFixed(1)} s`,
      '≤ 60 s',
      rfm.duration_ms <= 60_000 ? 'PASS' : 'FAIL',
    ]);

    // 1. preview while typing: count (to 10,000, like the list) and a sample of 10
    o.log('timing: segment preview');
    const samples: number[] = [];
    const counts = new Map<string, string>();
    for (let i = 0; i < o.requests + 5; i++) {
      const [name, criteria] = previews[i % previews.length]!;
      const res = await o.request<{ count: number; count_exact: boolean }>('/api/crm/segments/preview', {
        criteria,
      });
      if (i >= 5) samples.push(res.ms);
      counts.set(name, `${res.body.count.toLocaleString('en-US')}${res.body.count_exact ? '' : '+'}`);
    }
    const p95 = percentile(samples, 95);
    rows.push([
      'segment preview, three rules',
      `${samples.length} requests over ${previews.length} criteria; p50 ${ms(percentile(samples, 50))}`,
      `p95 ${ms(p95)}`,
      '≤ 500 ms',
      p95 <= 500 ? 'PASS' : 'FAIL',
    ]);
    facts.push(
      `Preview criteria and their counts: ${[...counts].map(([n, c]) => `${n} (${c})`).join('; ')}.`,
    );

    // 2. twenty automatic segments, fully refreshed (membership, events, counts, snapshot)
    o.log('timing: full refresh of 20 automatic segments');
    for (const [name, criteria] of autoSegments) {
      await sql`insert into segments (name, criteria, auto_update, created_by)
                values (${PREFIX + name}, ${JSON.stringify(criteria)}::jsonb, true, ${o.staffId})`.execute(
        db,
      );
    }
    const t0 = performance.now();
    const built = await refreshAutoSegments(o.deps, {});
    const buildMs = performance.now() - t0;
    const sizes = await sql<{ name: string; customer_count: number }>`
      select name, customer_count from segments where name like ${`${PREFIX}%`} order by customer_count desc`.execute(
      db,
    );
    const members = sizes.rows.reduce((s, x) => s + Number(x.customer_count), 0);
    // the steady state the schedule and "Refresh now" see: re-evaluate all, apply the changes
    const t1 = performance.now();
    const refreshed = await refreshAutoSegments(o.deps, {});
    const refreshMs = performance.now() - t1;
    rows.push([
      'full refresh, 20 automatic segments',
      `every segment re-evaluated over all customers, ${(refreshed.added + refreshed.removed).toLocaleString('en-US')} changes applied`,
      `${(refreshMs / 1000).toFixed(1)} s`,
      '≤ 60 s',
      refreshMs <= 60_000 && refreshed.segments === 20 ? 'PASS' : 'FAIL',
    ]);
    rows.push([
      'first build, the same 20 segments',
      `${members.toLocaleString('en-US')} memberships and as many timeline events written`,
      `${(buildMs / 1000).toFixed(1)} s`,
      '',
      built.segments === 20 ? 'info' : 'FAIL',
    ]);
    facts.push(
      `Segment sizes: ${sizes.rows.map((s) => `${s.name.slice(PREFIX.length)} ${Number(s.customer_count).toLocaleString('en-US')}`).join(', ')}.`,
    );

    // 3. one change, then the re-evaluation of that customer against all 20 segments
    o.log('timing: re-evaluation after one change');
    const picks = await sql<{ id: string; acquisition_source: string | null }>`
      select id, acquisition_source from customers tablesample system (0.1) limit ${o.requests}`.execute(db);
    const one: number[] = [];
    for (const c of picks.rows) {
      await sql`update customers set acquisition_source = 'referral' where id = ${c.id}`.execute(db);
      const t1 = performance.now();
      const done = await refreshDirtyCustomers(o.deps);
      one.push(performance.now() - t1);
      if (done.customers !== 1) throw new Error(`expected one marked customer, got ${done.customers}`);
      await sql`update customers set acquisition_source = ${c.acquisition_source} where id = ${c.id}`.execute(
        db,
      );
      await refreshDirtyCustomers(o.deps);
    }
    const oneP95 = percentile(one, 95);
    rows.push([
      're-evaluation after one change',
      `one customer against all 20 segments, ${one.length} changes; p50 ${ms(percentile(one, 50))}`,
      `p95 ${ms(oneP95)}`,
      '≤ 50 ms',
      oneP95 <= 50 ? 'PASS' : 'FAIL',
    ]);

    // 4. bulk tagging of the 100,000 customers worth the most (a criteria selection)
    o.log('timing: bulk tagging of 100,000 customers');
    const target = pg ? 100_000 : 10_000;
    const threshold = await sql<{ v: string }>`
      select lifetime_value::text as v from customer_metrics order by lifetime_value desc offset ${target - 1} limit 1`.execute(
      db,
    );
    const selection = { criteria: all(r('lifetime_value', 'gte', Number(threshold.rows[0]?.v ?? 0))) };
    const t2 = performance.now();
    const accepted = await o.request<{ job_id?: string; changed?: number }>('/api/crm/customers/bulk', {
      selection,
      action: { type: 'add_tags', tag_names: [BULK_TAG] },
    });
    await o.workers.runner.runDue();
    const bulkMs = performance.now() - t2;
    const job = await db
      .selectFrom('jobs')
      .select(['status', 'result'])
      .where('id', '=', accepted.body.job_id ?? '')
      .executeTakeFirst();
    const result = job?.result as { selected: number; changed: number } | undefined;
    rows.push([
      `bulk tagging, ${target.toLocaleString('en-US')} matching customers`,
      `POST /customers/bulk to job done: ${result?.changed.toLocaleString('en-US') ?? '?'} tagged (+ events), ${job?.status ?? 'no job'}`,
      `${(bulkMs / 1000).toFixed(1)} s`,
      '≤ 10 s',
      bulkMs <= 10_000 && job?.status === 'succeeded' ? 'PASS' : 'FAIL',
    ]);
    const t3 = performance.now();
    const drained = await o.workers.refreshSegments();
    facts.push(
      `After the bulk tagging the change-driven refresh re-evaluated the ${drained.toLocaleString('en-US')} tagged customers against all 20 segments in ${((performance.now() - t3) / 1000).toFixed(1)} s (batches of 500).`,
    );
  } finally {
    o.log('cleaning up segments, tag, events and jobs');
    await cleanUp(o);
    if (pg)
      await sql`vacuum (analyze) customer_events, customer_tags, segment_members, customers`.execute(db);
  }
  return {
    table: markdownTable(['operation', 'what', 'time', 'bar', 'result'], rows),
    facts,
  };
}
