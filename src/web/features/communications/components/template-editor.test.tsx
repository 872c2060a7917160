import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailTemplate } from '../../../../shared/communications.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The template editor against a real server: create, versions, preview, conflicts, delete, read-only. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

let n = 0;
async function seedTemplate(body: Record<string, unknown> = {}): Promise<EmailTemplate> {
  n += 1;
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/email-templates',
    as: admin,
    payload: {
      name: `Editor template ${n}`,
      subject: 'Hi {{first_name}}',
      body_html: '<p>Hello {{first_name}}</p>',
      body_text: 'Hello {{first_name}}',
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<EmailTemplate>();
}

async function stored(id: string): Promise<EmailTemplate> {
  const res = await server.request({ method: 'GET', url: `/api/crm/email-templates/${id}`, as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<EmailTemplate>();
}

const field = (name: string) =>
  screen.getByRole('textbox', { name }) as HTMLInputElement | HTMLTextAreaElement;
/** Sets a field's whole text (typed text with braces needs escaping in user-event). */
const setText = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });
const previewSubject = () => screen.queryByTestId('preview-subject')?.textContent;

async function openEditor(path: string) {
  const view = await renderApp(path);
  await screen.findByRole('form', { name: path.endsWith('/new') ? 'New template' : 'Edit template' });
  return view;
}

describe('template editor', () => {
  it('creates a template: required fields, an unknown variable shown on its field, then saved', async () => {
    await server.signIn('manager');
    const { user } = await openEditor('/communications/templates/new');
    expect(screen.getByRole('heading', { level: 1, name: 'New template' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create template' }));
    expect(await screen.findByText('Name is required')).toBeTruthy();
    expect(screen.getByText('Subject is required')).toBeTruthy();

    await user.type(field('Name'), 'Spring sale');
    setText('Subject', 'Hello {{frist_name}}');
    await user.click(screen.getByRole('button', { name: 'Create template' }));
    await waitFor(() => expect(field('Subject').getAttribute('aria-invalid')).toBe('true'));
    const subjectError = document.getElementById(
      field('Subject')
        .getAttribute('aria-describedby')!
        .split(' ')
        .find((id) => id.endsWith('error'))!,
    );
    expect(subjectError?.textContent).toContain('Unknown variable {{frist_name}}');
    expect(currentUrl()).toBe('/communications/templates/new');

    setText('Subject', 'Hello {{first_name}}, spring is here');
    await user.click(screen.getByRole('button', { name: 'Create template' }));
    expect(await findNotification('Template Spring sale created')).toBeTruthy();
    await waitFor(() => expect(currentUrl()).toMatch(/^\/communications\/templates\/[0-9a-f-]{36}$/));
    const id = currentUrl().split('/').pop()!;
    expect(await stored(id)).toMatchObject({
      name: 'Spring sale',
      category: 'marketing',
      version: 1,
      subject: 'Hello {{first_name}}, spring is here',
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Spring sale' })).toBeTruthy();
  });

  it('inserts a variable at the cursor of the field last worked in', async () => {
    await server.signIn('manager');
    const { user } = await openEditor('/communications/templates/new');
    await user.type(field('Subject'), 'Hi  there');
    const subject = field('Subject');
    subject.setSelectionRange(3, 3);
    await user.click(screen.getByRole('button', { name: 'Insert variable' }));
    await user.click(await screen.findByRole('menuitem', { name: '{{first_name}}' }));
    await waitFor(() => expect(field('Subject').value).toBe('Hi {{first_name}} there'));
  });

  it('renders the preview with sample data, then with a chosen customer', async () => {
    await makeCustomer(server, admin, { first_name: 'Grace', last_name: 'Previewer' });
    const template = await seedTemplate({ body_html: '<p>Dear {{full_name}}</p>' });
    await server.signIn('manager');
    const { user } = await openEditor(`/communications/templates/${template.id}`);
    await waitFor(() => expect(previewSubject()).toBe('Hi Ada'));

    await user.type(screen.getByRole('combobox', { name: /^Customer/ }), 'Previewer');
    await user.click(await screen.findByRole('option', { name: /Grace Previewer/ }, { timeout: 5000 }));
    await waitFor(() => expect(previewSubject()).toBe('Hi Grace'));
    const frame = screen.getByTitle('Preview: HTML part');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toContain('Dear Grace Previewer');
    expect(screen.getByLabelText('Preview: text part').textContent).toBe('Hello Grace');

    // an unknown variable shows in the preview, naming the part
    setText('HTML body', '<p>{{nope}}</p>');
    expect(await screen.findByText(/HTML body: Unknown variable \{\{nope\}\}/)).toBeTruthy();
  });

  it('saves a content edit as version 2, lists both versions, and restores the first into the editor', async () => {
    const template = await seedTemplate({ subject: 'Version one subject' });
    await server.signIn('manager');
    const { user } = await openEditor(`/communications/templates/${template.id}`);
    setText('Subject', 'Version two subject');
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await findNotification('Saved as version 2')).toBeTruthy();
    expect(await stored(template.id)).toMatchObject({ version: 2, subject: 'Version two subject' });

    const versions = await screen.findByRole('table', { name: 'Template versions' });
    await waitFor(() =>
      expect(
        within(versions)
          .getAllByRole('button')
          .map((b) => b.textContent),
      ).toEqual(['Version 2', 'Version 1']),
    );
    expect(within(versions).getByText('Current').closest('tr')?.textContent).toContain('Version 2');

    await user.click(within(versions).getByRole('button', { name: 'Version 1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Version 1' });
    expect((within(dialog).getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe(
      'Version one subject',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Restore into editor' }));
    await waitFor(() => expect(field('Subject').value).toBe('Version one subject'));

    // a rename alone changes the template in place: no new version
    await user.clear(field('Name'));
    await user.type(field('Name'), 'Renamed template');
    setText('Subject', 'Version two subject');
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await findNotification('Template Renamed template saved')).toBeTruthy();
    expect(await stored(template.id)).toMatchObject({ version: 2, name: 'Renamed template' });
  });

  it('offers to reload when someone else saved first', async () => {
    const template = await seedTemplate();
    await server.signIn('manager');
    const { user } = await openEditor(`/communications/templates/${template.id}`);
    const other = await server.request({
      method: 'PUT',
      url: `/api/crm/email-templates/${template.id}`,
      as: admin,
      payload: { subject: 'Their subject', version: template.version },
    });
    expect(other.statusCode, other.body).toBe(200);

    setText('Subject', 'My subject');
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    const dialog = await screen.findByRole('dialog', { name: 'This template was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(field('Subject').value).toBe('Their subject'));
    expect((await stored(template.id)).subject).toBe('Their subject');
  });

  it('deletes an unused template after asking', async () => {
    const template = await seedTemplate();
    await server.signIn('manager');
    const { user } = await openEditor(`/communications/templates/${template.id}`);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this template?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete template' }));
    expect(await findNotification(`Template ${template.name} deleted`)).toBeTruthy();
    await waitFor(() => expect(currentUrl()).toBe('/communications?tab=templates'));
    const gone = await server.request({
      method: 'GET',
      url: `/api/crm/email-templates/${template.id}`,
      as: admin,
    });
    expect(gone.statusCode).toBe(404);
  });

  it('archives instead of deleting a template that was used for sending', async () => {
    const template = await seedTemplate();
    const customer = await makeCustomer(server, admin, { first_name: 'Used' });
    const sent = await server.request({
      method: 'POST',
      url: '/api/crm/communications/send',
      as: admin,
      payload: { customer_id: customer.id, template_id: template.id },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    await server.signIn('manager');
    const { user } = await openEditor(`/communications/templates/${template.id}`);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this template?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete template' }));
    expect(await findNotification(`Template ${template.name} archived`)).toBeTruthy();
    expect((await stored(template.id)).archived).toBe(true);

    // opened again, it only shows
    cleanup();
    await openEditor(`/communications/templates/${template.id}`);
    expect(await screen.findByText(/This template is archived/)).toBeTruthy();
    expect(field('Subject').readOnly).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save template' })).toBeNull();
  });

  it('asks before leaving with unsaved changes', async () => {
    await server.signIn('manager');
    const { user } = await openEditor('/communications/templates/new');
    await user.type(field('Name'), 'Half written');
    await user.click(screen.getByRole('link', { name: 'Templates' }));
    const dialog = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(currentUrl()).toBe('/communications/templates/new');
    expect(field('Name').value).toBe('Half written');

    await user.click(screen.getByRole('link', { name: 'Templates' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).getByRole('button', {
        name: 'Discard changes',
      }),
    );
    await waitFor(() => expect(currentUrl()).toBe('/communications?tab=templates'));
  });

  it('is read-only for a viewer', async () => {
    const template = await seedTemplate();
    await server.signIn('viewer');
    await openEditor(`/communications/templates/${template.id}`);
    expect(field('Subject').readOnly).toBe(true);
    expect(field('HTML body').readOnly).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save template' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Insert variable' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    const versions = await screen.findByRole('table', { name: 'Template versions' });
    expect(within(versions).getByRole('button', { name: 'Version 1' })).toBeTruthy();
  });
});
