import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Affinity, Churn, ClvModel, Cohorts, Overview } from '../../../../shared/analytics.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { formatCount, formatDate, formatMoney } from '../../../lib/format.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';
import {
  formatChangePct,
  formatDecimal,
  formatMonth,
  formatParameter,
  formatShare,
} from '../analytics-format.js';
import { lastDays } from '../analytics-params.js';
import { buildTestShop, type TestShop } from '../analytics-test-shop.js';
import { kpiSpecs, type KpiName } from './kpi-card.js';

/** The analytics dashboard against a real server: every figure checked against what the API says. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function api<T>(url: string): Promise<T> {
  const res = await server.request({ method: 'GET', url: `/api/crm/analytics/${url}`, as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

async function findSection(title: string): Promise<HTMLElement> {
  const heading = await screen.findByRole('heading', { name: title, level: 2 });
  return heading.closest('section') as HTMLElement;
}

describe('analytics dashboard with no orders yet', () => {
  it('says what each section needs, and fitting explains why it cannot', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/analytics');
    expect(await screen.findByRole('heading', { name: 'Analytics', level: 1 })).toBeTruthy();
    expect(await screen.findByText('No customers or orders yet')).toBeTruthy();
    expect(await screen.findByText('No cohorts yet')).toBeTruthy();
    expect(await screen.findByText('Nobody to win back')).toBeTruthy();
    const affinity = await findSection('Products bought together');
    expect(await within(affinity).findByText('No orders to count yet')).toBeTruthy();
    const model = await findSection('Customer-value model');
    await within(model).findByText('No model fitted yet');
    await user.click(within(model).getByRole('button', { name: 'Fit now' }));
    const failure = await within(model).findByRole('alert');
    expect(failure.textContent).toContain('The model could not be fitted');
    expect(failure.textContent).toContain('no paid or fulfilled orders');
  });

  it('tells a viewer who can fit the model, offering no button to fit or recompute', async () => {
    await server.signIn('viewer');
    await renderApp('/analytics');
    const model = await findSection('Customer-value model');
    await within(model).findByText('Someone who manages analytics can fit it.');
    expect(within(model).queryByRole('button', { name: 'Fit now' })).toBeNull();
    const affinity = await findSection('Products bought together');
    await within(affinity).findByText('No orders to count yet');
    expect(within(affinity).queryByRole('button', { name: /Compute now|Recompute/ })).toBeNull();
  });
});

describe('analytics dashboard with a shop', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await buildTestShop(server, admin);
  });

  it('fits the model from its empty state and shows its parameters and calibration', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/analytics');
    const model = await findSection('Customer-value model');
    await within(model).findByText('No model fitted yet');
    await user.click(within(model).getByRole('button', { name: 'Fit now' }));
    const notice = await findNotification('customers scored.');
    const fitted = await api<ClvModel>('clv/model');
    expect(notice.textContent).toContain(`${formatCount(fitted.customers_scored)} customers scored.`);
    expect(fitted.customers_scored).toBe(shop.everyone.length - 1);

    const bgnbd = await within(model).findByRole('table', { name: 'BG/NBD parameters' });
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      const row = bgnbd.querySelector(`tr[data-parameter="${name}"]`);
      expect(row?.textContent).toBe(`${name}${formatParameter(fitted.bgnbd[name])}`);
    }
    expect(bgnbd.querySelector('tr[data-parameter="Log-likelihood"]')?.textContent).toContain(
      fitted.bgnbd.log_likelihood.toFixed(2),
    );
    const spend = within(model).queryByRole('table', { name: 'Gamma-Gamma parameters' });
    if (fitted.gamma_gamma) {
      for (const name of ['p', 'q', 'gamma'] as const) {
        expect(spend?.querySelector(`tr[data-parameter="${name}"]`)?.textContent).toBe(
          `${name}${formatParameter(fitted.gamma_gamma[name])}`,
        );
      }
    } else {
      expect(within(model).getByText(/too few customers bought twice/)).toBeTruthy();
    }
    const windows = within(model).getByRole('table', { name: 'Windows and data' });
    expect(windows.textContent).toContain(formatCount(fitted.customers));

    // the history is long enough to hold out its last 26 weeks
    expect(fitted.holdout).not.toBeNull();
    const holdout = fitted.holdout!;
    expect(
      within(model).getByRole('img', { name: /Predicted against actual holdout purchases/ }),
    ).toBeTruthy();
    const table = within(model).getByRole('table', { name: 'Holdout purchases by repeat purchases' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(holdout.groups.length);
    holdout.groups.forEach((g, i) => {
      const cells = within(rows[i]!)
        .getAllByRole('cell')
        .map((c) => c.textContent);
      expect(cells).toEqual([formatCount(g.customers), formatDecimal(g.predicted), formatDecimal(g.actual)]);
    });
    expect(within(model).getByTestId('holdout-summary').textContent).toContain(
      formatDecimal(holdout.predicted_transactions),
    );
    expect(within(model).getByRole('button', { name: 'Refit model' })).toBeTruthy();
  });

  it('refits the model from the dialog', async () => {
    await server.signIn('manager');
    const before = await api<ClvModel>('clv/model');
    const { user } = await renderApp('/analytics');
    const model = await findSection('Customer-value model');
    await user.click(await within(model).findByRole('button', { name: 'Refit model' }));
    const dialog = await screen.findByRole('dialog', { name: 'Refit the customer-value model' });
    expect(within(dialog).getByText('Calibration window ends')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Fit model' }));
    await findNotification('customers scored.');
    const after = await api<ClvModel>('clv/model');
    expect(after.id).not.toBe(before.id);
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Refit the customer-value model' })).toBeNull(),
    );
  });

  it('shows each KPI of the last 30 days against the 30 before, and switches the period', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/analytics');
    const overview = await findSection('Overview');
    const check = async (days: number) => {
      const { from, to } = lastDays(days);
      const expected = await api<Overview>(`overview?from=${from}&to=${to}`);
      for (const name of Object.keys(kpiSpecs) as KpiName[]) {
        const spec = kpiSpecs[name];
        const kpi = expected.kpis[name];
        const card = await within(overview).findByRole('article', { name: spec.label });
        await waitFor(() =>
          expect(within(card).getByTestId('kpi-value').textContent).toBe(spec.format(kpi.value)),
        );
        expect(within(card).getByTestId('kpi-previous').textContent).toBe(`was ${spec.format(kpi.previous)}`);
        if (kpi.change_pct !== null) {
          expect(within(card).getByTestId('kpi-change').textContent).toContain(
            formatChangePct(kpi.change_pct),
          );
        }
      }
      return expected;
    };
    const month = await check(30);
    // the regular's order 10 days ago falls in the period
    expect(month.kpis.orders.value).toBeGreaterThan(0);
    const revenue = within(overview).getByRole('img', { name: /^Revenue per day\./ });
    const total = month.revenue_by_day.reduce((sum, d) => sum + d.revenue, 0);
    expect(revenue.getAttribute('aria-label')).toContain(formatMoney(total));
    const distribution = within(overview).getByRole('img', {
      name: /^Customers by predicted 12-month value\./,
    });
    const valued = month.value_distribution.reduce((sum, b) => sum + b.customers, 0);
    if (valued > 0)
      expect(distribution.getAttribute('aria-label')).toContain(`${formatCount(valued)} customers`);

    await user.click(within(overview).getByRole('radio', { name: '90 days' }));
    await waitFor(() => expect(currentUrl()).toBe('/analytics?days=90'));
    await check(90);
  });

  it('shows a period picked by dates (kept in the address) against the same number of days before', async () => {
    await server.signIn('agent');
    const { from, to } = lastDays(60);
    const until = lastDays(21).from;
    await renderApp(`/analytics?from=${from}&to=${until}`);
    const expected = await api<Overview>(`overview?from=${from}&to=${until}`);
    expect(expected.period).toEqual({ from, to: until });
    const overview = await findSection('Overview');
    const revenue = await within(overview).findByRole('article', { name: 'Revenue' });
    await waitFor(() =>
      expect(within(revenue).getByTestId('kpi-value').textContent).toBe(
        formatMoney(expected.kpis.revenue.value),
      ),
    );
    expect(
      within(overview)
        .getByRole('button', { name: /^Period: / })
        .getAttribute('aria-label'),
    ).toBe(`Period: ${formatDate(from)} – ${formatDate(until)}`);
    // no preset is chosen for a period picked by dates
    expect(within(overview).queryByRole('radio', { checked: true })).toBeNull();
    expect(to).not.toBe(until);
  });

  it('shades the cohort table by share and shows every share as text', async () => {
    await server.signIn('agent');
    await renderApp('/analytics');
    const expected = await api<Cohorts>('cohorts?months=12');
    expect(expected.cohorts.length).toBeGreaterThan(0);
    const table = await screen.findByRole('table', { name: 'Retention by acquisition cohort' });
    expect(screen.getByTestId('repeat-purchase-rate').textContent).toContain(
      formatShare(expected.repeat_purchase_rate),
    );
    for (const c of expected.cohorts) {
      const row = table.querySelector(`tr[data-cohort="${c.cohort}"]`) as HTMLElement;
      expect(within(row).getByRole('rowheader').textContent).toBe(formatMonth(c.cohort));
      expect(row.textContent).toContain(formatCount(c.customers));
      c.retention.forEach((share, i) => {
        const cell = row.querySelector(`td[data-month="${i + 1}"]`) as HTMLElement;
        if (c.customers === 0) {
          // a month nobody joined in has no shares, not 0%
          expect(cell.textContent).toBe('–no new customers');
          return;
        }
        expect(Number(cell.getAttribute('data-share'))).toBe(share);
        expect(cell.textContent).toBe(formatShare(share, share < 0.1 ? 1 : 0));
        // a share above nothing is shaded; nothing is left plain
        expect(cell.style.background !== '').toBe(share > 0);
      });
    }
  });

  it('charts churn per month and lists the customers worth winning back, linked to their profiles', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/analytics');
    const expected = await api<Churn>('churn?months=12&limit=10');
    const table = await screen.findByRole('table', { name: 'Customers to win back' });
    expect(screen.getByTestId('value-at-risk-total').textContent).toContain(
      formatMoney(expected.value_at_risk_total),
    );
    expect(screen.getByRole('img', { name: /^Churn rate per month\./ })).toBeTruthy();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-customer'))).toEqual(
      expected.win_back.map((c) => c.customer_id),
    );
    const first = expected.win_back[0]!;
    expect(rows[0]!.textContent).toContain(formatMoney(first.value_at_risk));
    await user.click(within(rows[0]!).getByRole('link', { name: first.name }));
    await waitFor(() => expect(currentUrl()).toBe(`/customers/${first.customer_id}`));
  });

  it('computes product affinity in a background job, then sorts and filters the rules', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/analytics');
    const affinity = await findSection('Products bought together');
    const before = await api<Affinity>('products/affinity');
    const button = await within(affinity).findByRole('button', {
      name: before.computed_at === null ? 'Compute now' : 'Recompute',
    });
    await user.click(button);
    expect(
      await within(affinity).findByRole('progressbar', {
        name: 'Counting products bought together: progress',
      }),
    ).toBeTruthy();
    await server.app.workers.runner.runDue();
    await findNotification('Products bought together are up to date.');

    const byLift = await api<Affinity>('products/affinity?sort=lift&limit=20');
    expect(byLift.rules.length).toBeGreaterThan(0);
    const table = await within(affinity).findByRole('table', { name: 'Products bought together' });
    const ruleKeys = (t: HTMLElement) =>
      within(t)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.getAttribute('data-rule'));
    await waitFor(() =>
      expect(ruleKeys(table)).toEqual(byLift.rules.map((r) => `${r.product.sku}>${r.also_bought.sku}`)),
    );
    const top = byLift.rules[0]!;
    const cells = within(within(table).getAllByRole('row')[1]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells.slice(2)).toEqual([
      formatCount(top.orders_together),
      formatShare(top.support),
      formatShare(top.confidence),
      formatDecimal(top.lift),
    ]);

    await user.click(within(affinity).getByRole('radio', { name: 'Confidence' }));
    await waitFor(() => expect(currentUrl()).toBe('/analytics?sort=confidence'));
    const byConfidence = await api<Affinity>('products/affinity?sort=confidence&limit=20');
    await waitFor(() =>
      expect(ruleKeys(within(affinity).getByRole('table'))).toEqual(
        byConfidence.rules.map((r) => `${r.product.sku}>${r.also_bought.sku}`),
      ),
    );

    // one product's rules only
    const beans = byLift.rules.find((r) => r.product.sku === 'AN-BEANS')!;
    await user.click(
      within(affinity).getAllByRole('button', { name: /^Coffee beans.*: show only its rules$/ })[0]!,
    );
    await waitFor(() => expect(currentUrl()).toBe(`/analytics?sort=confidence&product=${beans.product.id}`));
    await waitFor(() =>
      expect(new Set(ruleKeys(within(affinity).getByRole('table')).map((k) => k?.split('>')[0]))).toEqual(
        new Set(['AN-BEANS']),
      ),
    );
    await user.click(within(affinity).getByRole('button', { name: 'Show every product' }));
    await waitFor(() => expect(currentUrl()).toBe('/analytics?sort=confidence'));
  });

  it('shows a viewer every section but no Refit or Recompute', async () => {
    await server.signIn('viewer');
    await renderApp('/analytics');
    await screen.findByRole('table', { name: 'BG/NBD parameters' });
    await screen.findByRole('table', { name: 'Products bought together' });
    await screen.findByRole('table', { name: 'Retention by acquisition cohort' });
    expect(screen.queryByRole('button', { name: 'Refit model' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Recompute' })).toBeNull();
  });

  it('reports a section that fails to load, with a retry', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/analytics?product=not-a-product-id');
    const affinity = await findSection('Products bought together');
    const alert = await within(affinity).findByRole('alert');
    expect(alert.textContent).toContain('Could not load product affinity');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    // the same bad address fails again; the other sections are unaffected
    expect(await within(await findSection('Products bought together')).findByRole('alert')).toBeTruthy();
    expect(await screen.findByRole('table', { name: 'BG/NBD parameters' })).toBeTruthy();
  });
});
