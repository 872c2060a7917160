import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { MemoryRouter } from 'react-router';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CriteriaGroup } from '../../../../shared/criteria/index.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { queryClient } from '../../../app/query-client.js';
import { theme } from '../../../app/theme.js';
import { startWebTestServer, type WebTestServer } from '../../../test/harness.js';
import { CriteriaBuilder } from './criteria-builder.js';
import { CriteriaPreview } from './criteria-preview.js';

/** The criteria builder and its live count against a real server (fields, tags, preview). */
let server: WebTestServer;
let admin: StaffHandle;
let latest: CriteriaGroup;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/tags',
    as: admin,
    payload: { name: 'VIP' },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(() => server?.close());
beforeEach(async () => {
  queryClient.clear();
  await server.signIn('manager');
});

/** The builder as a parent uses it: the tree in state, with the preview beside it. */
function Playground({ initial }: { initial: CriteriaGroup }) {
  const [value, setValue] = useState(initial);
  latest = value;
  return (
    <>
      <CriteriaBuilder value={value} onChange={setValue} />
      <CriteriaPreview criteria={value} />
    </>
  );
}

async function renderBuilder(initial: CriteriaGroup = { match: 'all', rules: [] }) {
  const user = userEvent.setup();
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter>
          <Playground initial={initial} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  await screen.findByRole('button', { name: 'Add rule' });
  return user;
}

type User = Awaited<ReturnType<typeof renderBuilder>>;

async function choose(user: User, combobox: string, option: string) {
  await user.click(screen.getByRole('combobox', { name: combobox }));
  await user.click(await screen.findByRole('option', { name: option }));
}

const textArea = () => screen.getByRole('textbox', { name: 'Criteria as text' }) as HTMLTextAreaElement;
const inputValue = (name: string) => (screen.getByRole('combobox', { name }) as HTMLInputElement).value;

describe('CriteriaBuilder', () => {
  it('adds rules and a nested group, and the tree follows', async () => {
    const user = await renderBuilder();
    expect(screen.getByText('No rules yet: every customer matches.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    await choose(user, 'Rule 1 field', 'Lifetime value');
    await choose(user, 'Rule 1 operator', 'is at least');
    await user.type(screen.getByRole('textbox', { name: 'Rule 1 value' }), '500');

    await user.click(screen.getByRole('button', { name: 'Add group' }));
    const group = screen.getByRole('group', { name: 'Group 2' });
    expect(within(group).getByRole('radio', { name: 'Any rule' })).toHaveProperty('checked', true);
    await choose(user, 'Rule 2.1 field', 'Lifecycle stage');
    await choose(user, 'Rule 2.1 operator', 'is any of');
    await user.click(screen.getByRole('combobox', { name: 'Rule 2.1 values' }));
    await user.click(await screen.findByRole('option', { name: 'At risk' }));
    await user.click(await screen.findByRole('option', { name: 'Lost' }));
    await user.click(within(group).getByRole('button', { name: 'Add rule to group 2' }));
    await choose(user, 'Rule 2.2 field', 'Tags');
    await user.click(screen.getByRole('combobox', { name: 'Rule 2.2 tags' }));
    await user.click(await screen.findByRole('option', { name: 'VIP' }));
    await user.click(within(group).getByRole('checkbox', { name: 'Negate this group (NOT)' }));

    await waitFor(() =>
      expect(latest).toEqual({
        match: 'all',
        rules: [
          { field: 'lifetime_value', op: 'gte', value: 500 },
          {
            match: 'any',
            not: true,
            rules: [
              { field: 'lifecycle_stage', op: 'in', value: ['at_risk', 'lost'] },
              { field: 'tags', op: 'has_any', value: ['VIP'] },
            ],
          },
        ],
      }),
    );
  });

  it('keeps a value that still fits when the operator changes, and removes rules and groups', async () => {
    const nested: CriteriaGroup = {
      match: 'any',
      not: true,
      rules: [
        { field: 'lifecycle_stage', op: 'in', value: ['at_risk', 'lost'] },
        { field: 'tags', op: 'has_any', value: ['VIP'] },
      ],
    };
    const user = await renderBuilder({
      match: 'all',
      rules: [{ field: 'lifetime_value', op: 'gte', value: 500 }, nested],
    });
    await choose(user, 'Rule 1 operator', 'is greater than');
    expect(latest.rules[0]).toEqual({ field: 'lifetime_value', op: 'gt', value: 500 });
    await choose(user, 'Rule 2.1 operator', 'is');
    expect(latest.rules[1]).toMatchObject({
      rules: [{ field: 'lifecycle_stage', op: 'eq', value: 'at_risk' }, nested.rules[1]],
    });
    await choose(user, 'Rule 1 field', 'Company');
    expect(latest.rules[0]).toEqual({ field: 'company', op: 'eq' });

    await user.click(screen.getByRole('button', { name: 'Remove rule 1' }));
    // the root's match control comes first
    await user.click(screen.getAllByRole('radio', { name: 'Any rule' })[0]!);
    expect(latest).toEqual({
      match: 'any',
      rules: [
        { ...nested, rules: [{ field: 'lifecycle_stage', op: 'eq', value: 'at_risk' }, nested.rules[1]] },
      ],
    });
    await user.click(screen.getByRole('button', { name: 'Remove group 1' }));
    expect(latest).toEqual({ match: 'any', rules: [] });
  });

  it('edits a purchase pattern and an order window', async () => {
    const user = await renderBuilder({
      match: 'all',
      rules: [
        { field: 'orders', op: 'purchased', value: {} },
        { field: 'spend_in_days', op: 'gte', value: { days: 30 } },
      ],
    });
    await choose(user, 'Rule 1 product filter', 'Category');
    await user.type(screen.getByRole('textbox', { name: 'Rule 1 category' }), 'coffee');
    await user.type(screen.getByRole('textbox', { name: 'Rule 1 within days' }), '180');
    await choose(user, 'Rule 1 operator', 'did not purchase');
    await user.type(screen.getByRole('textbox', { name: 'Rule 2 amount' }), '100');
    expect(latest.rules).toEqual([
      { field: 'orders', op: 'not_purchased', value: { category: 'coffee', within_days: 180 } },
      { field: 'spend_in_days', op: 'gte', value: { days: 30, amount: 100 } },
    ]);
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    expect(textArea().value).toBe(
      'NOT PURCHASED category = "coffee" WITHIN 180 DAYS AND spend_in_days(30) >= 100',
    );
  });

  it('keeps text and visual modes in step', async () => {
    const user = await renderBuilder();
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    await user.type(textArea(), 'total_orders >= 2 AND (tag = "VIP" OR customer_status = active)');
    await waitFor(() =>
      expect(latest).toEqual({
        match: 'all',
        rules: [
          { field: 'total_orders', op: 'gte', value: 2 },
          {
            match: 'any',
            rules: [
              { field: 'tags', op: 'has_any', value: ['VIP'] },
              { field: 'customer_status', op: 'eq', value: 'active' },
            ],
          },
        ],
      }),
    );

    await user.click(screen.getByRole('radio', { name: 'Visual' }));
    expect(inputValue('Rule 1 field')).toBe('Orders');
    expect(inputValue('Rule 1 operator')).toBe('is at least');
    expect((screen.getByRole('textbox', { name: 'Rule 1 value' }) as HTMLInputElement).value).toBe('2');
    expect(inputValue('Rule 2.2 field')).toBe('Status');
    expect(inputValue('Rule 2.2 value')).toBe('Active');

    const orders = screen.getByRole('textbox', { name: 'Rule 1 value' });
    await user.clear(orders);
    await user.type(orders, '3');
    await choose(user, 'Rule 2.2 value', 'Churned');
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    expect(textArea().value).toBe(
      'total_orders >= 3 AND (tags HAS ANY ("VIP") OR customer_status = "churned")',
    );
  });

  it('shows where the text fails to parse, and keeps the last good tree', async () => {
    const start: CriteriaGroup = {
      match: 'all',
      rules: [{ field: 'lifetime_value', op: 'gte', value: 100 }],
    };
    const user = await renderBuilder(start);
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    expect(textArea().value).toBe('lifetime_value >= 100');
    // pasted over at once: typed, "lifetime_value >= AN" would parse (a word is a value), and
    // emptied text is a valid tree too (everyone)
    textArea().focus();
    textArea().setSelectionRange(0, textArea().value.length);
    await user.paste('lifetime_value >= AND total_orders > 1');

    expect(await screen.findByText('Line 1, column 19: Expected a value but found "AND"')).toBeTruthy();
    expect(textArea().getAttribute('aria-invalid')).toBe('true');
    expect(latest).toEqual(start);

    // the visual builder waits for text that parses
    await user.click(screen.getByRole('radio', { name: 'Visual' }));
    expect(await screen.findByText(/Fix the error in the text first/)).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Rule 1 field' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Go to the error' }));
    expect(textArea().selectionStart).toBe(18);
    await user.type(textArea(), '250 ', { skipClick: true });
    await waitFor(() =>
      expect(latest).toEqual({
        match: 'all',
        rules: [
          { field: 'lifetime_value', op: 'gte', value: 250 },
          { field: 'total_orders', op: 'gt', value: 1 },
        ],
      }),
    );
    expect(screen.queryByText(/Line 1, column/)).toBeNull();
  });
});

describe('CriteriaPreview', () => {
  it('counts the customers who match, names a few, and follows edits', async () => {
    for (const first_name of ['Ann', 'Bob', 'Cid']) {
      await makeCustomer(server, admin, { first_name, last_name: 'Preview', company: 'Preview Co' });
    }
    await makeCustomer(server, admin, { first_name: 'Dot', last_name: 'Other', company: 'Other Co' });
    const user = await renderBuilder({
      match: 'all',
      rules: [{ field: 'company', op: 'eq', value: 'Preview Co' }],
    });

    const preview = screen.getByRole('region', { name: 'Matching customers' });
    await waitFor(() => expect(within(preview).getByTestId('criteria-preview-count').textContent).toBe('3'));
    expect(within(preview).getByText('customers match')).toBeTruthy();
    const sample = within(preview).getByRole('list', { name: 'Sample of matching customers' });
    expect(within(sample).getByRole('link', { name: 'Ann Preview' })).toBeTruthy();
    expect(within(sample).getAllByRole('listitem')).toHaveLength(3);

    const company = screen.getByRole('textbox', { name: 'Rule 1 value' });
    await user.clear(company);
    await user.type(company, 'Other Co');
    await waitFor(() => expect(within(preview).getByTestId('criteria-preview-count').textContent).toBe('1'));
    expect(within(preview).getByText('customer matches')).toBeTruthy();
  });

  it('shows the server’s message for criteria it cannot run', async () => {
    await renderBuilder({ match: 'all', rules: [{ field: 'lifetime_value', op: 'gte' }] });
    const preview = screen.getByRole('region', { name: 'Matching customers' });
    expect(await within(preview).findByText('Finish the criteria to count')).toBeTruthy();
    expect(within(preview).getByText('Rule 1: lifetime_value gte: expected a number')).toBeTruthy();
  });
});
