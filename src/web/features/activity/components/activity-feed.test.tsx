import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import type { Customer } from '../../../../shared/customers.js';
import { currentUrl, renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';

/** Team activity against a real server: a colleague's note with its customer, filtered to "Me". */
let server: WebTestServer;
let colleague: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  colleague = await server.staff('agent');
});
afterAll(() => server?.close());

async function addNote(customer: Customer, as: StaffHandle, noteType: string) {
  const res = await server.request({
    method: 'POST',
    url: `/api/crm/customers/${customer.id}/notes`,
    as,
    payload: { content: 'Checked in about the renewal', note_type: noteType },
  });
  expect(res.statusCode).toBe(201);
}

/** The event on the feed whose summary is this text. */
function eventItem(feed: HTMLElement, summary: string): HTMLElement {
  const title = within(feed).getByText(summary);
  const item = title.closest<HTMLElement>('.mantine-Timeline-item');
  if (!item) throw new Error(`"${summary}" is not on a timeline item`);
  return item;
}

/** The "Who" select's input (its listbox carries the same label). */
function whoInput(): HTMLInputElement {
  const input = screen.getAllByLabelText('Who').find((el) => el instanceof HTMLInputElement);
  if (!input) throw new Error('No "Who" input');
  return input as HTMLInputElement;
}

describe('team activity', () => {
  it("lists a colleague's note with its customer and narrows to my own with Who: Me", async () => {
    const theirs = await makeCustomer(server, colleague, { first_name: 'Carla', last_name: 'Colleague' });
    const mine = await makeCustomer(server, colleague, { first_name: 'Mira', last_name: 'Mine' });
    const me = await server.signIn('agent');
    await addNote(theirs, colleague, 'billing');
    await addNote(mine, me, 'sales');
    const { user } = await renderApp('/activity');

    // the first render loads the app's modules: slow on a busy machine
    expect(
      await screen.findByRole('heading', { name: 'Team activity', level: 1 }, { timeout: 30_000 }),
    ).toBeTruthy();
    const today = await screen.findByRole('region', { name: 'Today' });
    const item = await waitFor(() => eventItem(today, 'Note added (billing)'));
    const link = within(item).getByRole('link', { name: 'Carla Colleague' });
    expect(link.getAttribute('href')).toBe(`/customers/${theirs.id}`);
    expect(item.textContent).toMatch(/Agent \d+/);
    expect(within(item).getByText(/ago|seconds/)).toBeTruthy();

    await user.click(whoInput());
    await user.click(await screen.findByRole('option', { name: 'Me' }));
    await waitFor(() => expect(currentUrl()).toBe('/activity?actor=me'));
    await waitFor(() => expect(screen.queryByText('Note added (billing)')).toBeNull());
    const mineItem = await waitFor(() =>
      eventItem(screen.getByRole('region', { name: 'Today' }), 'Note added (sales)'),
    );
    expect(within(mineItem).getByRole('link', { name: 'Mira Mine' })).toBeTruthy();
  });

  it('reads kind filters from the URL and says when nothing matches', async () => {
    const customer = await makeCustomer(server, colleague);
    await server.signIn('viewer');
    await addNote(customer, colleague, 'support');
    await renderApp('/activity?actor=me&kind=note_added');
    expect(await screen.findByText('No activity matches these filters')).toBeTruthy();
    // the filter shows the kind chosen in the URL
    const pills = screen.getAllByText('Note added').filter((el) => el.closest('.mantine-Pill-root'));
    expect(pills).toHaveLength(1);
    expect(whoInput().value).toBe('Me');
  });
});
