import { describe, expect, it } from 'vitest';
import { mentionMarkup, mentionsToText, parseMentions, snippetOf } from './mentions.js';

const ana = '0b6f4c1e-8f4a-4a57-9a3e-2f1d7c9b1a01';
const bo = '5d2e7a90-1c3b-4e8f-a6d4-9b0c8e7f6a52';

describe('parseMentions', () => {
  it('finds each mentioned staff id once, lower-cased, in order', () => {
    const md = `Hi @[Bo Berg](staff:${bo}) and @[Ana](staff:${ana.toUpperCase()}), again @[Bo](staff:${bo}).`;
    expect(parseMentions(md)).toEqual([bo, ana]);
  });

  it('accepts names with spaces, accents and punctuation, at the start and end of lines', () => {
    expect(parseMentions(`@[Zoë Ångström-O'Neil (ops)](staff:${ana})`)).toEqual([ana]);
    expect(parseMentions(`line one\n@[A](staff:${ana})\n`)).toEqual([ana]);
  });

  it('ignores what is not a mention', () => {
    const notMentions = [
      '',
      'plain text with an @ sign and [brackets](https://example.com)',
      `[Ana](staff:${ana})`, // no @
      `@[Ana](user:${ana})`, // another scheme
      '@[Ana](staff:not-a-uuid)',
      `@[Ana](staff:${ana.slice(0, -1)})`, // too short
      `@[](staff:${ana})`, // no name
      `@[An\na](staff:${ana})`, // name over a line break
      `@[Ana] (staff:${ana})`, // space between the parts
      '<script>alert(1)</script>',
    ];
    for (const md of notMentions) expect(parseMentions(md), md).toEqual([]);
  });

  it('does not count mentions inside code', () => {
    const md = [
      `Inline \`@[Ana](staff:${ana})\` is code.`,
      '```',
      `@[Ana](staff:${ana})`,
      '```',
      `But @[Bo](staff:${bo}) is real.`,
    ].join('\n');
    expect(parseMentions(md)).toEqual([bo]);
    expect(parseMentions(`~~~md\n@[Ana](staff:${ana})\n~~~\n`)).toEqual([]);
  });

  it('is tolerant of odd input', () => {
    expect(parseMentions(undefined as unknown as string)).toEqual([]);
    expect(parseMentions('@['.repeat(10_000))).toEqual([]);
    expect(parseMentions(`\`unclosed code @[Ana](staff:${ana})`)).toEqual([ana]);
  });
});

describe('mention helpers', () => {
  it('writes markup that parses back', () => {
    const md = mentionMarkup('Odd ]name\n', ana);
    expect(md).toBe(`@[Odd  name](staff:${ana})`);
    expect(parseMentions(md)).toEqual([ana]);
  });

  it('turns mentions into @names for plain text', () => {
    expect(mentionsToText(`ask @[Ana B](staff:${ana}) now`)).toBe('ask @Ana B now');
  });

  it('makes snippets of the words, not the markup', () => {
    expect(snippetOf(`Ask **@[Ana B](staff:${ana})** about *bulk pricing*`)).toBe(
      'Ask @Ana B about bulk pricing',
    );
    expect(snippetOf('# Call\n> quoted\n- [x] done\n1. first\n`code` and [the docs](https://x.test)')).toBe(
      'Call quoted done first code and the docs',
    );
    expect(snippetOf('```js\nlet a_b = c_d;\n```')).toBe('let a_b = c_d;');
    expect(snippetOf('snake_case_name and 2 * 3 * 4')).toBe('snake_case_name and 2 * 3 * 4');
  });

  it('makes one-line snippets of at most 140 characters', () => {
    expect(snippetOf('  a\n\n  b  ')).toBe('a b');
    const long = snippetOf('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(140);
    expect(long.endsWith('…')).toBe(true);
    const emoji = snippetOf(`${'x'.repeat(138)}😀😀😀`);
    expect(emoji.length).toBeLessThanOrEqual(140);
    expect(emoji).toBe(`${'x'.repeat(138)}…`);
  });
});
