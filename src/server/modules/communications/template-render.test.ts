import { describe, expect, it } from 'vitest';
import { formatDay, formatMoney, renderTemplate, templateProblems } from './template-render.js';

const content = (over: Partial<{ subject: string; body_html: string; body_text: string }> = {}) => ({
  subject: 'Hello {{first_name}}',
  body_html: '<p>Hi {{first_name}}</p>',
  body_text: 'Hi {{first_name}}',
  ...over,
});

describe('renderTemplate', () => {
  it('escapes values in the HTML part but not in the subject or text part', () => {
    const out = renderTemplate(content(), { first_name: '<b>Bo</b> & "Co"' });
    expect(out.html).toBe('<p>Hi &lt;b&gt;Bo&lt;&#x2F;b&gt; &amp; &quot;Co&quot;</p>');
    expect(out.text).toBe('Hi <b>Bo</b> & "Co"');
    expect(out.subject).toBe('Hello <b>Bo</b> & "Co"');
  });

  it('renders missing variables empty and offers sections and inverted sections for fallbacks', () => {
    const tpl = content({
      body_text:
        '{{#first_name}}Hi {{first_name}}{{/first_name}}{{^first_name}}Hi there{{/first_name}}, {{company}}.',
    });
    expect(renderTemplate(tpl, { first_name: 'Ada' }).text).toBe('Hi Ada, .');
    expect(renderTemplate(tpl, {}).text).toBe('Hi there, .');
    expect(renderTemplate(tpl, { first_name: '' }).text).toBe('Hi there, .');
  });

  it('keeps the subject on one line and never shows object internals', () => {
    const out = renderTemplate(content({ subject: 'Hi {{first_name}} {{constructor}}' }), {
      first_name: 'Ada\r\nBcc: x@example.com',
    });
    expect(out.subject).toBe('Hi Ada Bcc: x@example.com');
  });

  it('escapes raw output in the HTML part even if such a template was stored', () => {
    const out = renderTemplate(content({ body_html: '<p>{{{first_name}}} {{&last_name}}</p>' }), {
      first_name: '<i>A</i>',
      last_name: '<script>',
    });
    expect(out.html).toBe('<p>&lt;i&gt;A&lt;&#x2F;i&gt; &lt;script&gt;</p>');
  });
});

describe('templateProblems', () => {
  it('accepts a template that uses known variables and sections', () => {
    expect(
      templateProblems(
        content({ body_html: '{{#first_name}}<p>Hi {{first_name}}</p>{{/first_name}}{{! a note }}' }),
      ),
    ).toEqual([]);
  });

  it('names an unknown variable and lists the known ones', () => {
    const problems = templateProblems({ body_text: 'Hi {{frist_name}}, {{frist_name}}' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('body_text');
    expect(problems[0]!.message).toMatch(
      /^Unknown variable \{\{frist_name\}\}: use one of first_name, last_name/,
    );
  });

  it('finds unknown variables inside sections', () => {
    expect(templateProblems({ subject: '{{#first_name}}{{nope}}{{/first_name}}' })).toEqual([
      { field: 'subject', message: expect.stringContaining('Unknown variable {{nope}}') },
    ]);
  });

  it('reports syntax errors of each part with its field', () => {
    const problems = templateProblems({
      subject: 'Hi {{first_name',
      body_html: '{{#first_name}}<p>Hi</p>',
      body_text: 'Bye {{/company}}',
    });
    expect(problems.map((p) => p.field)).toEqual(['subject', 'body_html', 'body_text']);
    expect(problems[0]!.message).toMatch(/A tag is not closed .*end it with }}/);
    expect(problems[1]!.message).toMatch(/Section \{\{#first_name\}\} is not closed.*\{\{\/first_name\}\}/);
    expect(problems[2]!.message).toMatch(/closes a section that was not opened/);
  });

  it('refuses raw output in the HTML part, but not in the text part', () => {
    const html = templateProblems({ body_html: '<p>{{{first_name}}}</p><p>{{&company}}</p>' });
    expect(html.map((p) => p.message)).toEqual([
      expect.stringMatching(/\{\{\{first_name\}\}\}.*unescaped: use \{\{first_name\}\}/),
      expect.stringMatching(/\{\{\{company\}\}\}.*unescaped/),
    ]);
    expect(templateProblems({ body_text: '{{{first_name}}}' })).toEqual([]);
  });

  it('refuses partials', () => {
    expect(templateProblems({ body_text: '{{> footer}}' })).toEqual([
      { field: 'body_text', message: 'Partials such as {{>footer}} are not supported' },
    ]);
  });
});

describe('formatting', () => {
  it('formats money with thousands and two decimals, and days in UTC', () => {
    expect(formatMoney('1234.5')).toBe('1,234.50');
    expect(formatMoney(null)).toBe('0.00');
    expect(formatDay(new Date('2026-03-04T23:30:00Z'))).toBe('4 Mar 2026');
    expect(formatDay(new Date('2026-09-10T00:00:00Z'))).toBe('10 Sep 2026');
    expect(formatDay(null)).toBe('');
  });
});
