import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffHandle } from '../../../tests/helpers/test-app.js';
import { startWebTestServer, type WebTestServer } from '../test/harness.js';
import { Markdown } from './markdown.js';
import { MentionTextarea } from './mention-textarea.js';

const staffId = '0b8f3c2e-4a1d-4c7e-9f00-123456789abc';

function Harness() {
  const [value, setValue] = useState('');
  return (
    <>
      <MentionTextarea label="Note" value={value} onChange={setValue} />
      <output data-testid="value">{value}</output>
    </>
  );
}

function renderMarkdown(source: string) {
  return render(
    <MantineProvider>
      <Markdown source={source} />
    </MantineProvider>,
  );
}

describe('Markdown', () => {
  it('renders formatting, GFM tables and safe links opening in a new tab', () => {
    const { container } = renderMarkdown(
      '**Bold** and ~~gone~~\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[Docs](https://example.com/docs) and [mail us](mailto:x@example.com)',
    );
    expect(container.querySelector('strong')?.textContent).toBe('Bold');
    expect(container.querySelector('del')?.textContent).toBe('gone');
    expect(container.querySelector('table')).not.toBeNull();
    const docs = screen.getByRole('link', { name: 'Docs' });
    expect(docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(docs.getAttribute('target')).toBe('_blank');
    expect(docs.getAttribute('rel')).toBe('noreferrer noopener');
    expect(screen.getByRole('link', { name: 'mail us' }).getAttribute('href')).toBe('mailto:x@example.com');
  });

  it('drops raw HTML, script, event handlers and javascript: links, and loads no images', () => {
    const { container } = renderMarkdown(
      [
        'Hello <script>window.__pwned = 1</script>',
        '',
        '<img src="https://evil.example/x.png" onerror="window.__pwned = 2">',
        '',
        '<b onclick="alert(1)">bold?</b> [click me](javascript:alert(1)) [data](data:text/html,hi)',
        '',
        '![tracking pixel](https://tracker.example/p.gif)',
      ].join('\n'),
    );
    const html = container.innerHTML;
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    // raw HTML shows as the text it is: no element carries a handler or an unsafe URL
    for (const element of container.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        expect(attribute.name.startsWith('on'), attribute.name).toBe(false);
        expect(attribute.value).not.toMatch(/^\s*(javascript|data):/i);
      }
    }
    expect(html).not.toContain('href="javascript:');
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    // the unsafe links keep their text, without an href
    expect(screen.getByText('click me').closest('a')).toBeNull();
    // the image is a link to it, by its alt text, never an <img>
    const image = screen.getByRole('link', { name: '[image: tracking pixel]' });
    expect(image.getAttribute('href')).toBe('https://tracker.example/p.gif');
  });

  it('shows a mention as an @Name chip, not a link; in code it stays text', () => {
    const { container } = renderMarkdown(
      `Ask @[Maria Lopez](staff:${staffId}) about it.\n\n\`@[Code Person](staff:${staffId})\``,
    );
    const chip = container.querySelector(`[data-mention="${staffId}"]`);
    expect(chip?.textContent).toBe('@Maria Lopez');
    expect(chip?.closest('a')).toBeNull();
    expect(container.textContent).toContain('Ask @Maria Lopez about it.');
    expect(container.textContent).not.toContain('@@');
    expect(container.querySelectorAll('[data-mention]')).toHaveLength(1);
    expect(container.querySelector('code')?.textContent).toBe(`@[Code Person](staff:${staffId})`);
    expect(container.innerHTML).not.toContain('href="staff:');
  });
});

describe('MentionTextarea', () => {
  let server: WebTestServer;
  let maria: StaffHandle;

  async function named(role: 'agent' | 'manager', name: string): Promise<StaffHandle> {
    const staff = await server.staff(role);
    const admin = await server.staff('admin');
    await server.request({ method: 'PATCH', url: `/api/users/${staff.id}`, as: admin, payload: { name } });
    return staff;
  }

  beforeAll(async () => {
    server = await startWebTestServer();
    maria = await named('agent', 'Maria Lopez');
    await named('agent', 'Marco Polo');
    await named('manager', 'Olga Smith');
    await server.signIn('agent');
  });
  afterAll(() => server?.close());

  function renderEditor() {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const user = userEvent.setup();
    render(
      <MantineProvider>
        <QueryClientProvider client={client}>
          <Harness />
        </QueryClientProvider>
      </MantineProvider>,
    );
    return { user, textarea: screen.getByRole('textbox', { name: 'Note' }) };
  }

  it('offers staff matching what follows @, and Enter inserts the mention markup', async () => {
    const { user, textarea } = renderEditor();
    await user.type(textarea, 'Hi @mar');
    expect(await screen.findByRole('option', { name: /^Maria Lopez/ })).toBeTruthy();
    expect(screen.getByRole('option', { name: /^Marco Polo/ })).toBeTruthy();
    expect(screen.queryByRole('option', { name: /^Olga Smith/ })).toBeNull();
    await user.type(textarea, 'ia');
    await waitFor(() => expect(screen.queryByRole('option', { name: /^Marco Polo/ })).toBeNull());
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('value').textContent).toBe(`Hi @[Maria Lopez](staff:${maria.id}) `),
    );
    expect(screen.queryByRole('option')).toBeNull();
  });

  it('moves with the arrow keys, picks with Tab, and Escape closes without inserting', async () => {
    const { user, textarea } = renderEditor();
    await user.type(textarea, '@o');
    await screen.findByRole('option', { name: /^Olga Smith/ });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('option')).toBeNull());
    expect(screen.getByTestId('value').textContent).toBe('@o');
    await user.clear(textarea);
    await user.type(textarea, '@Ma');
    await screen.findByRole('option', { name: /^Marco Polo/ });
    // each option shows the name, then the email
    const names = screen.getAllByRole('option').map((o) => o.firstElementChild?.textContent);
    await user.keyboard('{ArrowDown}{Tab}');
    const second = names[1];
    await waitFor(() =>
      expect(screen.getByTestId('value').textContent).toMatch(new RegExp(`^@\\[${second}\\]\\(staff:`)),
    );
  });
});
