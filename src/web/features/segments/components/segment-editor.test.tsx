import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Segment, SegmentList } from '../../../../shared/segments.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The segment editor against a real server: create, duplicate names, edit, version conflicts. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());
beforeEach(async () => {
  await server.signIn('manager');
});

const companyIs = (company: string) => ({
  match: 'all',
  rules: [{ field: 'company', op: 'eq', value: company }],
});

async function seedSegment(body: Record<string, unknown>): Promise<Segment> {
  const res = await server.request({ method: 'POST', url: '/api/crm/segments', as: admin, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Segment>();
}

async function storedSegment(id: string): Promise<Segment> {
  const res = await server.request({ method: 'GET', url: `/api/crm/segments/${id}`, as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Segment>();
}

/** Someone else saves the segment first. */
async function saveElsewhere(segment: Segment, changes: Record<string, unknown>) {
  const res = await server.request({
    method: 'PUT',
    url: `/api/crm/segments/${segment.id}`,
    as: admin,
    payload: {
      name: segment.name,
      description: segment.description,
      auto_update: segment.auto_update,
      criteria: segment.criteria ?? undefined,
      version: segment.version,
      ...changes,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Segment>();
}

const textbox = (name: string) => screen.getByRole('textbox', { name }) as HTMLInputElement;
const previewCount = () =>
  within(screen.getByRole('region', { name: 'Matching customers' })).queryByTestId('criteria-preview-count')
    ?.textContent;

async function openEditor(path: string) {
  const view = await renderApp(path);
  await screen.findByRole('form', { name: path.endsWith('/new') ? 'New segment' : 'Edit segment' });
  await screen.findByRole('button', { name: 'Add rule' });
  return view;
}

describe('segment editor', () => {
  it('creates an automatic segment from the text form, with a live count', async () => {
    for (const first_name of ['Amy', 'Ben']) {
      await makeCustomer(server, admin, { first_name, company: 'Editor Co' });
    }
    await makeCustomer(server, admin, { first_name: 'Cal', company: 'Elsewhere Ltd' });
    const { user } = await openEditor('/segments/new');
    expect(screen.getByRole('heading', { level: 1, name: 'New segment' })).toBeTruthy();

    await user.type(textbox('Name'), 'Editor Co people');
    await user.type(textbox('Description'), 'Everyone at Editor Co');
    expect((screen.getByRole('switch', { name: /^Automatic membership/ }) as HTMLInputElement).checked).toBe(
      true,
    );
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    await user.type(textbox('Criteria as text'), 'company = "Editor Co"');
    await waitFor(() => expect(previewCount()).toBe('2'));

    await user.click(screen.getByRole('button', { name: 'Create segment' }));
    expect(await findNotification('Segment Editor Co people created')).toBeTruthy();
    await waitFor(() => expect(currentUrl()).toMatch(/^\/segments\/[0-9a-f-]{36}$/));
    const id = currentUrl().split('/').pop()!;
    expect(await storedSegment(id)).toMatchObject({
      name: 'Editor Co people',
      description: 'Everyone at Editor Co',
      auto_update: true,
      criteria: companyIs('Editor Co'),
      customer_count: 2,
    });
  });

  it('asks for a name and a rule, and shows a taken name on its field', async () => {
    await seedSegment({ name: 'Taken name', auto_update: false });
    const { user } = await openEditor('/segments/new');
    await user.click(screen.getByRole('button', { name: 'Create segment' }));
    expect(await screen.findByText('Name is required')).toBeTruthy();
    expect(screen.getByText('An automatic segment needs at least one rule')).toBeTruthy();

    await user.type(textbox('Name'), 'taken name');
    await user.click(screen.getByRole('switch', { name: /^Automatic membership/ }));
    await user.click(screen.getByRole('button', { name: 'Create segment' }));
    expect(await screen.findByText('Another segment already has this name')).toBeTruthy();
    expect(textbox('Name').getAttribute('aria-invalid')).toBe('true');
    expect(currentUrl()).toBe('/segments/new');
    const list = await server.request({ method: 'GET', url: '/api/crm/segments', as: admin });
    expect(list.json<SegmentList>().data.filter((s) => s.name.toLowerCase() === 'taken name')).toHaveLength(
      1,
    );
  });

  it('edits a segment built visually', async () => {
    const segment = await seedSegment({
      name: 'Visual edit',
      description: 'Before',
      auto_update: true,
      criteria: companyIs('Visual Co'),
    });
    const { user } = await openEditor(`/segments/${segment.id}/edit`);
    expect(screen.getByRole('heading', { level: 1, name: 'Edit Visual edit' })).toBeTruthy();
    expect(textbox('Name').value).toBe('Visual edit');
    expect(textbox('Rule 1 value').value).toBe('Visual Co');

    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    await user.click(screen.getByRole('combobox', { name: 'Rule 2 field' }));
    await user.click(await screen.findByRole('option', { name: 'Orders' }));
    await user.click(screen.getByRole('combobox', { name: 'Rule 2 operator' }));
    await user.click(await screen.findByRole('option', { name: 'is at least' }));
    await user.type(textbox('Rule 2 value'), '2');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));

    expect(await findNotification('Segment Visual edit saved')).toBeTruthy();
    await waitFor(() => expect(currentUrl()).toBe(`/segments/${segment.id}`));
    const stored = await storedSegment(segment.id);
    expect(stored.version).toBe(segment.version + 1);
    expect(stored.criteria).toEqual({
      match: 'all',
      rules: [
        { field: 'company', op: 'eq', value: 'Visual Co' },
        { field: 'total_orders', op: 'gte', value: 2 },
      ],
    });
  });

  it('on a stale version, overwrites the other change when asked', async () => {
    const segment = await seedSegment({
      name: 'Stale one',
      auto_update: true,
      criteria: companyIs('Stale Co'),
    });
    const { user } = await openEditor(`/segments/${segment.id}/edit`);
    await user.clear(textbox('Name'));
    await user.type(textbox('Name'), 'Mine');
    await saveElsewhere(segment, { name: 'Theirs', description: 'Their words' });
    await user.click(screen.getByRole('button', { name: 'Save segment' }));

    const dialog = await screen.findByRole('dialog', { name: 'This segment was changed by someone else' });
    expect(within(dialog).getByText(/Another change was saved on/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Overwrite' }));
    expect(await findNotification('Segment Mine saved')).toBeTruthy();
    const stored = await storedSegment(segment.id);
    expect(stored).toMatchObject({ name: 'Mine', description: null, version: segment.version + 2 });
  });

  it('on a stale version, reloads the other change and drops mine when asked', async () => {
    const segment = await seedSegment({
      name: 'Reload me',
      auto_update: true,
      criteria: companyIs('Old Co'),
    });
    const { user } = await openEditor(`/segments/${segment.id}/edit`);
    await user.clear(textbox('Rule 1 value'));
    await user.type(textbox('Rule 1 value'), 'My Co');
    await saveElsewhere(segment, { criteria: companyIs('Their Co') });
    await user.click(screen.getByRole('button', { name: 'Save segment' }));

    const dialog = await screen.findByRole('dialog', { name: 'This segment was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    expect(await findNotification('Showing the latest version')).toBeTruthy();
    await waitFor(() => expect(textbox('Rule 1 value').value).toBe('Their Co'));
    expect(currentUrl()).toBe(`/segments/${segment.id}/edit`);

    // saving now goes on top of their version
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    expect(await findNotification('Segment Reload me saved')).toBeTruthy();
    expect((await storedSegment(segment.id)).version).toBe(segment.version + 2);
  });

  it('cancel goes back, asking first when there are unsaved changes', async () => {
    const segment = await seedSegment({ name: 'Untouched', auto_update: false });
    const { user } = await openEditor(`/segments/${segment.id}/edit`);
    await user.type(textbox('Name'), ' changed');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(currentUrl()).toBe(`/segments/${segment.id}/edit`);
    expect(textbox('Name').value).toBe('Untouched changed');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).getByRole('button', {
        name: 'Discard changes',
      }),
    );
    await waitFor(() => expect(currentUrl()).toBe(`/segments/${segment.id}`));
    expect((await storedSegment(segment.id)).name).toBe('Untouched');
  });

  it('cancel leaves at once when nothing changed', async () => {
    const { user } = await openEditor('/segments/new');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(currentUrl()).toBe('/segments'));
    expect(screen.queryByRole('dialog', { name: 'Discard unsaved changes?' })).toBeNull();
  });
});
