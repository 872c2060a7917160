/**
 * Dev tool: screenshots of every screen in light and dark, with an axe report.
 * Usage: npx tsx tests/e2e/tools/screenshots.ts http://127.0.0.1:3100 /tmp/shots admin@example.com password
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Page, request } from 'playwright-core';
import { launchBrowser, seriousAxeViolations, setColorScheme, signIn } from '../support/browser.js';

const [
  baseUrl = 'http://127.0.0.1:3100',
  outDir = '/tmp/shots',
  email = 'admin@example.com',
  password = 'admin-password-1',
] = process.argv.slice(2);
const only = process.env.ONLY?.split(',');

interface Screen {
  name: string;
  path: string;
  prepare?: (page: Page) => Promise<void>;
}

/** The first segment's page, creating one when there is none. */
async function firstSegmentPath(page: Page): Promise<string> {
  const id = await page.evaluate(async () => {
    const list = (await (await fetch('/api/crm/segments')).json()) as { data: { id: string }[] };
    if (list.data[0]) return list.data[0].id;
    const created = await fetch('/api/crm/segments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Loyal customers',
        auto_update: true,
        criteria: {
          match: 'all',
          rules: [{ field: 'lifecycle_stage', op: 'in', value: ['loyal', 'customer'] }],
        },
      }),
    });
    return ((await created.json()) as { id: string }).id;
  });
  return `/segments/${id}`;
}

async function firstCustomerPath(page: Page): Promise<string> {
  const id = await page.evaluate(async () => {
    const r = await fetch('/api/crm/customers?limit=1&sort=total_orders&order=desc');
    const body = (await r.json()) as { data: { id: string }[] };
    return body.data[0]?.id ?? '';
  });
  return `/customers/${id}`;
}

/** A small export of the first few customers, as the signed-in admin; the server's workers run it. */
async function requestExport(page: Page, body: Record<string, unknown>) {
  await page.evaluate(async (payload) => {
    await fetch('/api/crm/export/customers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
  }, body);
}

const demoFields = ['first_name', 'last_name', 'email', 'company', 'country', 'lifetime_value', 'tags'];

/**
 * Exports to look at: a CSV and an Excel file of this admin's, and one of a second admin's (made
 * here, once) waiting for approval when the server asks approval for exports that large.
 */
async function seedExports(page: Page) {
  const existing = await page.evaluate(async () => {
    const r = await fetch('/api/crm/exports?limit=5');
    return ((await r.json()) as { data: unknown[] }).data.length;
  });
  if (existing > 0) return;
  await requestExport(page, {
    format: 'csv',
    fields: demoFields,
    selection: { filter: { lifecycle_stage: 'loyal' } },
    title: 'Loyal customers',
    bom: true,
  });
  await requestExport(page, {
    format: 'xlsx',
    fields: demoFields,
    selection: { filter: { status: 'churned' } },
    title: 'Churned for win-back',
    purpose: 'marketing',
  });
  const second = { email: `second-admin-${Date.now()}@example.com`, password: 'second-admin-password' };
  await page.evaluate(async (user) => {
    await fetch('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...user, role: 'admin', name: 'Sam Second' }),
    });
  }, second);
  const api = await request.newContext({ baseURL: baseUrl });
  await api.post('/api/auth/login', { data: second });
  await api.post('/api/crm/export/customers', {
    data: { format: 'csv', fields: demoFields, selection: { all: true }, title: 'Whole customer base' },
  });
  await api.dispose();
  await page.waitForTimeout(3000);
}

async function seedSchedule(page: Page) {
  await page.evaluate(async () => {
    const list = (await (await fetch('/api/crm/export/schedules')).json()) as { data: unknown[] };
    if (list.data.length > 0) return;
    const segments = (await (await fetch('/api/crm/segments')).json()) as { data: { id: string }[] };
    const staff = (await (await fetch('/api/users/directory')).json()) as { data: { id: string }[] };
    const base = {
      format: 'xlsx',
      fields: ['first_name', 'last_name', 'email', 'company', 'lifetime_value', 'total_orders'],
      timezone: 'Europe/Berlin',
    };
    await fetch('/api/crm/export/schedules', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...base,
        name: 'Monday VIP list',
        cron: '0 7 * * 1',
        selection: segments.data[0] ? { segment_id: segments.data[0].id } : { all: true },
        recipient_ids: staff.data.slice(0, 2).map((s) => s.id),
      }),
    });
    await fetch('/api/crm/export/schedules', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...base,
        format: 'csv',
        name: 'Month-end ledger',
        cron: '0 6 1 * *',
        timezone: 'UTC',
        selection: { all: true },
        enabled: false,
      }),
    });
  });
}

/** A customer erased to show an erased profile: made and erased here the first time, then found again. */
async function erasedCustomerPath(page: Page): Promise<string> {
  const id = await page.evaluate(async () => {
    const source = 'screenshot-erasure';
    const found = (await (await fetch(`/api/crm/customers?acquisition_source=${source}&limit=1`)).json()) as {
      data: { id: string }[];
    };
    if (found.data[0]) return found.data[0].id;
    const created = await fetch('/api/crm/customers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        first_name: 'Erin',
        last_name: 'Erased',
        email: `erin.${Date.now()}@example.com`,
        acquisition_source: source,
      }),
    });
    const { id } = (await created.json()) as { id: string };
    await fetch(`/api/crm/customers/${id}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: 'ERASE', reason: 'Screenshot' }),
    });
    return id;
  });
  return `/customers/${id}`;
}

const screens: Screen[] = [
  { name: 'customers', path: '/customers' },
  {
    name: 'customers-filters',
    path: '/customers',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Filters' }).click();
      await page.waitForTimeout(400);
    },
  },
  { name: 'customers-empty', path: '/customers?q=nobody-matches-this' },
  { name: 'profile', path: 'PROFILE' },
  {
    name: 'profile-edit',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Edit contact details' }).click();
      await page
        .getByRole('button', { name: /Show items of order/ })
        .first()
        .click();
    },
  },
  {
    name: 'profile-conflict',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Edit profile' }).click();
      // Someone else saves first: bump the version behind this page's back.
      await page.evaluate(async () => {
        const id = location.pathname.split('/').pop();
        const current = (await (await fetch(`/api/crm/customers/${id}`)).json()) as { version: number };
        await fetch(`/api/crm/customers/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ version: current.version, acquisition_source: 'partner' }),
        });
      });
      await page.getByLabel('Company').fill('Changed here');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'profile-tag-picker',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.getByRole('textbox', { name: 'Add tag' }).click();
      await page.getByRole('textbox', { name: 'Add tag' }).fill('w');
      await page.getByRole('listbox').waitFor();
    },
  },
  { name: 'tags', path: '/tags' },
  {
    name: 'tags-edit',
    path: '/tags',
    prepare: async (page) => {
      await page
        .getByRole('button', { name: /^Edit tag/ })
        .first()
        .click();
      await page.getByRole('dialog').waitFor();
      await page.getByRole('textbox', { name: 'Colour' }).click();
    },
  },
  {
    name: 'tags-delete',
    path: '/tags',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Delete tag Newsletter' }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  { name: 'segments', path: '/segments' },
  { name: 'segment-new', path: '/segments/new' },
  {
    name: 'segment-new-text',
    path: '/segments/new',
    prepare: async (page) => {
      await page.getByLabel('Name').fill('Big spenders');
      await page.getByText('Text', { exact: true }).click();
      await page
        .getByLabel('Criteria as text')
        .fill('lifetime_value >= 500 AND lifecycle_stage IN ("loyal", "customer")');
      await page.waitForTimeout(1200);
    },
  },
  { name: 'segment', path: 'SEGMENT' },
  {
    name: 'customers-selected',
    path: '/customers',
    prepare: async (page) => {
      await page.getByRole('checkbox', { name: 'Select all loaded customers' }).check();
      await page.getByRole('region', { name: 'Bulk actions' }).waitFor();
    },
  },
  {
    name: 'customers-bulk-dialog',
    path: '/customers',
    prepare: async (page) => {
      await page.getByRole('checkbox', { name: 'Select all loaded customers' }).check();
      await page
        .getByRole('region', { name: 'Bulk actions' })
        .getByRole('button', { name: 'Add tags' })
        .click();
      await page.getByRole('dialog').waitFor();
    },
  },
  { name: 'insights', path: '/insights' },
  { name: 'my-work', path: '/my-work' },
  { name: 'tickets', path: '/tickets' },
  {
    name: 'ticket',
    path: '/tickets',
    prepare: async (page) => {
      await page.getByRole('table').getByRole('link').first().click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      await page.waitForTimeout(500);
    },
  },
  {
    name: 'ticket-new',
    path: '/tickets',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'New ticket' }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  { name: 'tasks', path: '/tasks?status=all&assignee=everyone' },
  {
    name: 'task-new',
    path: '/tasks',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'New task' }).first().click();
      await page.getByRole('dialog').waitFor();
    },
  },
  { name: 'activity', path: '/activity' },
  {
    name: 'notifications',
    path: '/my-work',
    prepare: async (page) => {
      await page.getByRole('button', { name: /^Notifications/ }).click();
      await page
        .getByRole('dialog', { name: 'Notifications' })
        .or(page.getByText('Mark all read'))
        .first()
        .waitFor();
    },
  },
  {
    name: 'profile-notes',
    path: 'PROFILE',
    prepare: async (page) => {
      const box = page.getByRole('textbox', { name: 'New note' });
      await box.click();
      await box.pressSequentially('Follow up with @');
    },
  },
  {
    name: 'profile-interactions',
    path: 'PROFILE',
    prepare: async (page) => {
      await page
        .getByRole('region', { name: 'Service work' })
        .getByRole('tab', { name: 'Interactions' })
        .click();
    },
  },
  {
    name: 'profile-tickets',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.getByRole('region', { name: 'Service work' }).getByRole('tab', { name: 'Tickets' }).click();
    },
  },
  {
    name: 'profile-tasks',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.getByRole('region', { name: 'Service work' }).getByRole('tab', { name: 'Tasks' }).click();
    },
  },
  {
    name: 'profile-email',
    path: 'PROFILE',
    prepare: async (page) => {
      const card = page.getByRole('region', { name: 'Email' });
      await card.locator('.mantine-Accordion-control').first().click();
      await card.getByRole('article').first().scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'compose-email',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.getByRole('region', { name: 'Email' }).getByRole('button', { name: 'New email' }).click();
      await page.getByRole('dialog').getByLabel('Subject').fill('Your refund');
    },
  },
  { name: 'email', path: '/communications' },
  { name: 'email-campaigns', path: '/communications?tab=campaigns' },
  { name: 'email-templates', path: '/communications?tab=templates' },
  { name: 'template-new', path: '/communications/templates/new' },
  { name: 'new-customer', path: '/customers/new' },
  {
    name: 'new-customer-errors',
    path: '/customers/new',
    prepare: async (page) => {
      await page.getByLabel('Email').fill('not-an-email');
      await page.getByLabel('Street', { exact: true }).fill('1 Main St');
      await page.getByRole('button', { name: 'Create customer' }).click();
    },
  },
  { name: 'import', path: '/customers/import' },
  {
    name: 'import-mapping',
    path: '/customers/import',
    prepare: async (page) => {
      await page.locator('input[type=file]').setInputFiles({
        name: 'customers.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csvSample),
      });
      await page.getByRole('table', { name: 'Column mapping' }).waitFor();
    },
  },
  {
    name: 'import-report',
    path: '/customers/import',
    prepare: async (page) => {
      await page.locator('input[type=file]').setInputFiles({
        name: 'customers.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csvSample),
      });
      await page.getByRole('button', { name: /^Import \d+ rows$/ }).click();
      await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    },
  },
  {
    name: 'export-dialog',
    path: '/customers?lifecycle_stage=loyal',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page
        .getByRole('dialog')
        .getByText(/will be exported$/)
        .waitFor();
    },
  },
  {
    name: 'export-dialog-pdf',
    path: '/customers',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(/will be exported$/).waitFor();
      await dialog.getByText('PDF', { exact: true }).click();
      await page.waitForTimeout(1200);
    },
  },
  {
    name: 'exports',
    path: '/exports',
    prepare: async (page) => {
      await seedExports(page);
      await page.reload();
      await page.getByRole('table', { name: 'Exports', exact: true }).waitFor();
    },
  },
  {
    name: 'export-approve',
    path: '/exports',
    prepare: async (page) => {
      await page
        .getByRole('button', { name: /^Approve export/ })
        .first()
        .click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'export-schedules',
    path: '/exports/schedules',
    prepare: async (page) => {
      await seedSchedule(page);
      await page.reload();
      await page.getByRole('table', { name: 'Export schedules' }).waitFor();
    },
  },
  {
    name: 'export-schedule-form',
    path: '/exports/schedules',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'New schedule' }).first().click();
      await page.getByRole('dialog').getByRole('textbox', { name: 'Name' }).fill('Weekly churn watch');
    },
  },
  {
    name: 'audit',
    path: '/audit?action=export.requested,export.approved,export.rejected,export.completed,export.downloaded,privacy.erasure',
    prepare: async (page) => {
      await page
        .getByRole('button', { name: /^Details of Export requested/ })
        .first()
        .click();
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.scrollTo(0, 0));
    },
  },
  {
    name: 'customer-erase',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Erase personal data…' }).click();
      await page.getByRole('dialog').getByLabel('Type ERASE to confirm').fill('ERAS');
    },
  },
  {
    name: 'profile-erased',
    path: 'PROFILE',
    prepare: async (page) => {
      await page.goto(`${baseUrl}${await erasedCustomerPath(page)}`);
      await page.getByText('Personal data erased').waitFor();
    },
  },
  { name: 'staff', path: '/staff' },
  {
    name: 'staff-create',
    path: '/staff',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  { name: 'tokens', path: '/settings/tokens' },
  {
    name: 'tokens-created',
    path: '/settings/tokens',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'New token' }).click();
      await page.getByLabel('Name').fill(`Screenshot ${Date.now()}`);
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('It is shown only once').waitFor();
    },
  },
];

const csvSample = [
  'Email,First Name,Surname,Company,Stage,Notes',
  'ines.moreau@example.com,Inès,Moreau,Globex,customer,VIP',
  'not-an-email,Bad,Row,,lead,',
  'ada.almeida.0@example.com,Ada,Almeida,Acme Corp,loyal,existing',
  'li.wei@example.com,Li,Wei,,unknown_stage,',
].join('\n');

mkdirSync(outDir, { recursive: true });
const browser = await launchBrowser();
try {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await setColorScheme(page, scheme);
    if (!only || only.includes('login')) {
      await page.goto(`${baseUrl}/login`);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(outDir, `login-${scheme}.png`) });
      console.log(`login ${scheme}`, JSON.stringify(await seriousAxeViolations(page)));
    }
    await signIn(page, baseUrl, email, password);
    const profilePath = await firstCustomerPath(page);
    const segmentPath = await firstSegmentPath(page);
    for (const screen of screens) {
      if (only && !only.includes(screen.name)) continue;
      const path =
        screen.path === 'PROFILE' ? profilePath : screen.path === 'SEGMENT' ? segmentPath : screen.path;
      await page.goto(`${baseUrl}${path}`);
      // not 'networkidle': the live event streams (bell, profile) never go idle
      await page.waitForLoadState('load');
      await page.waitForTimeout(800);
      await screen.prepare?.(page);
      await page.waitForTimeout(500);
      if (screen.name.startsWith('profile')) await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({
        path: join(outDir, `${screen.name}-${scheme}.png`),
        fullPage: screen.name.startsWith('profile'),
      });
      const violations = await seriousAxeViolations(page);
      console.log(`${screen.name} ${scheme}`, violations.length ? JSON.stringify(violations, null, 1) : 'ok');
    }
    await context.close();
  }
} finally {
  await browser.close();
}
