import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/customers.js';
import type { LifecycleReport } from '../../../shared/lifecycle.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Lifecycle stages from order behaviour, by the default and by edited rules. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
const daysAgo = (d: number) => new Date(Date.now() - d * 86400_000).toISOString();
const ids: Record<string, string> = {};

async function customerWithOrders(name: string, orderDaysAgo: number[]) {
  const c = await makeCustomer(t, admin, { first_name: name });
  for (const d of orderDaysAgo) {
    await makeOrder(t, admin, c.id, {
      placed_at: daysAgo(d),
      items: [{ sku: 'LC-1', quantity: 1, unit_price: 20 }],
    });
  }
  ids[name] = c.id;
  return c.id;
}
const stageOf = async (id: string) =>
  (await t.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin })).json<Customer>()
    .lifecycle_stage;
const transitionsOf = (id: string) =>
  t.database.db
    .selectFrom('lifecycle_transitions')
    .select(['from_stage', 'to_stage', 'reason', 'source'])
    .where('customer_id', '=', id)
    .orderBy('occurred_at')
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  await customerWithOrders('Lead', []);
  await customerWithOrders('Fresh', [10]);
  await customerWithOrders('Regular', [100, 60, 20]);
  await customerWithOrders('Slipping', [200]);
  await customerWithOrders('Overdue', [300, 280]);
  await customerWithOrders('Gone', [500, 480, 460, 440]);
});
afterAll(() => t?.close());

describe('lifecycle stages by the default rules', () => {
  it('follows each customer’s orders as they are placed', async () => {
    expect(await stageOf(ids.Lead!)).toBe('lead');
    expect(await stageOf(ids.Fresh!)).toBe('customer');
    expect(await stageOf(ids.Regular!)).toBe('loyal');
    expect(await stageOf(ids.Slipping!)).toBe('at_risk');
    expect(await stageOf(ids.Overdue!)).toBe('at_risk');
    expect(await stageOf(ids.Gone!)).toBe('lost');
  });

  it('records every transition with its reason and shows it on the timeline', async () => {
    const regular = await transitionsOf(ids.Regular!);
    expect(regular.map((r) => `${r.from_stage}>${r.to_stage}`)).toEqual(['lead>customer', 'customer>loyal']);
    expect(regular[1]).toMatchObject({ source: 'auto', reason: '3 orders, the last 20 days ago' });
    const overdue = await transitionsOf(ids.Overdue!);
    // straight from lead to at risk: its first order was already 300 days old (one order: the
    // assumed 60-day interval); the second, 280 days ago, kept it there
    expect(overdue).toEqual([
      {
        from_stage: 'lead',
        to_stage: 'at_risk',
        source: 'auto',
        reason: '300 days since the last order; usually 60 days between orders',
      },
    ]);
    const gone = await transitionsOf(ids.Gone!);
    expect(gone.map((g) => g.reason)).toEqual(['No order for 500 days (lost after 365)']);

    const timeline = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${ids.Regular}/timeline?kind=stage_changed`,
      as: admin,
    });
    const events = timeline.json<{
      data: { kind: string; summary: string; data: Record<string, unknown> }[];
    }>().data;
    expect(events.map((e) => e.summary)).toEqual(['Stage customer → loyal', 'Stage lead → customer']);
    expect(events[0]!.data).toMatchObject({ from: 'customer', to: 'loyal', source: 'auto' });
  });

  it('moves back when orders are cancelled', async () => {
    const orders = await t.database.db
      .selectFrom('orders')
      .select('id')
      .where('customer_id', '=', ids.Regular!)
      .orderBy('placed_at')
      .execute();
    for (const o of orders.slice(1)) {
      await t.request({
        method: 'PATCH',
        url: `/api/orders/${o.id}`,
        as: admin,
        payload: { status: 'cancelled' },
      });
    }
    // one kept order, 100 days ago: beyond the assumed interval × factor (150)? no: at risk from 90 days
    expect(await stageOf(ids.Regular!)).toBe('customer');
    await t.request({
      method: 'PATCH',
      url: `/api/orders/${orders[2]!.id}`,
      as: admin,
      payload: { status: 'paid' },
    });
    expect(await stageOf(ids.Regular!)).toBe('customer');
  });

  it('re-evaluates everyone on demand as days pass', async () => {
    // as if the stage had been computed long ago: evaluation brings it back to what the rules say
    await sql`update customer_metrics set lifecycle_stage = 'customer' where customer_id = ${ids.Slipping!}`.execute(
      t.database.db,
    );
    const res = await t.request({ method: 'POST', url: '/api/crm/lifecycle/evaluate', as: admin });
    expect(res.json()).toEqual({ changed: 1 });
    expect(await stageOf(ids.Slipping!)).toBe('at_risk');
    expect(
      (await t.request({ method: 'POST', url: '/api/crm/lifecycle/evaluate', as: admin })).json(),
    ).toEqual({ changed: 0 });
  });
});

describe('a stage set by hand', () => {
  it('holds against the rules until handed back, each change recorded', async () => {
    const id = ids.Fresh!;
    const current = (
      await t.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin })
    ).json<Customer>();
    expect(current).toMatchObject({ lifecycle_stage: 'customer', lifecycle_stage_manual: false });
    const pinned = await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${id}`,
      as: manager,
      payload: { version: current.version, lifecycle_stage: 'loyal' },
    });
    expect(pinned.json()).toMatchObject({ lifecycle_stage: 'loyal', lifecycle_stage_manual: true });
    // an order and a full evaluation leave the hand-set stage alone
    await makeOrder(t, admin, id, {
      placed_at: daysAgo(400),
      items: [{ sku: 'LC-1', quantity: 1, unit_price: 5 }],
    });
    await t.request({ method: 'POST', url: '/api/crm/lifecycle/evaluate', as: admin });
    expect(await stageOf(id)).toBe('loyal');
    const both = await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${id}`,
      as: manager,
      payload: {
        version: pinned.json<Customer>().version,
        lifecycle_stage: 'lead',
        lifecycle_stage_auto: true,
      },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ errors: [{ field: 'lifecycle_stage_auto' }] });
    const released = await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${id}`,
      as: manager,
      payload: { version: pinned.json<Customer>().version, lifecycle_stage_auto: true },
    });
    expect(released.json()).toMatchObject({ lifecycle_stage: 'customer', lifecycle_stage_manual: false });
    const history = await transitionsOf(id);
    expect(history.map((h) => [h.from_stage, h.to_stage, h.source])).toEqual([
      ['lead', 'customer', 'auto'],
      ['customer', 'loyal', 'manual'],
      ['loyal', 'customer', 'auto'],
    ]);
    expect(history[1]!.reason).toBe('Set by hand');
  });

  it('is what a stage given on creation or in an import means', async () => {
    const c = await makeCustomer(t, admin, { first_name: 'Chosen', lifecycle_stage: 'loyal' });
    expect(c).toMatchObject({ lifecycle_stage: 'loyal', lifecycle_stage_manual: true });
    await makeOrder(t, admin, c.id);
    expect(await stageOf(c.id)).toBe('loyal');
  });
});

describe('the lifecycle rules', () => {
  it('are read by anyone, changed only by an administrator, and applied at once', async () => {
    const rules = await t.request({ method: 'GET', url: '/api/crm/lifecycle/rules', as: manager });
    expect(rules.json()).toMatchObject({
      loyal_min_orders: 3,
      lost_after_days: 365,
      at_risk_interval_factor: 2.5,
    });
    const { updated_at: _at, updated_by: _by, ...current } = rules.json<Record<string, unknown>>();
    const body = { ...current, lost_after_days: 600 };
    expect(
      (await t.request({ method: 'PUT', url: '/api/crm/lifecycle/rules', as: manager, payload: body }))
        .statusCode,
    ).toBe(403);
    const changed = await t.request({
      method: 'PUT',
      url: '/api/crm/lifecycle/rules',
      as: admin,
      payload: body,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      rules: { lost_after_days: 600, updated_by: admin.id },
      changed: 1,
    });
    expect(await stageOf(ids.Gone!)).toBe('at_risk');
  });

  it('refuses rules that cannot work, naming the field', async () => {
    const current = (await t.request({ method: 'GET', url: '/api/crm/lifecycle/rules', as: admin })).json<
      Record<string, unknown>
    >();
    const { updated_at: _a, updated_by: _b, ...body } = current;
    const bad = await t.request({
      method: 'PUT',
      url: '/api/crm/lifecycle/rules',
      as: admin,
      payload: { ...body, lost_after_days: 30 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ field: 'lost_after_days' }] });
    const missing = await t.request({
      method: 'PUT',
      url: '/api/crm/lifecycle/rules',
      as: admin,
      payload: { loyal_min_orders: 1 },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(
      'loyal_min_orders',
    );
  });

  it('reports customers per stage and the movements between stages', async () => {
    const report = (
      await t.request({ method: 'GET', url: '/api/crm/lifecycle/report?days=7', as: manager })
    ).json<LifecycleReport>();
    const real = await sql<{
      stage: string;
      n: string;
    }>`select lifecycle_stage as stage, count(*) as n from customer_metrics group by 1`.execute(
      t.database.db,
    );
    for (const row of real.rows)
      expect(report.stages.find((s) => s.stage === row.stage)?.customers).toBe(Number(row.n));
    expect(report.stages.map((s) => s.stage)).toEqual(['lead', 'customer', 'loyal', 'at_risk', 'lost']);
    expect(report.movements).toContainEqual({ from: 'lead', to: 'customer', customers: 2 });
    expect(report.movements).toContainEqual({ from: 'lead', to: 'at_risk', customers: 2 });
    expect(report.movements).toContainEqual({ from: 'lead', to: 'lost', customers: 1 });
    expect(report.movements).toContainEqual({ from: 'lost', to: 'at_risk', customers: 1 });
  });
});
