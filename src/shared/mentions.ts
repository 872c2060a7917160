/**
 * Mentions of staff in markdown: `@[Display Name](staff:<uuid>)`. The display name is what the
 * reader sees; the id is whom it notifies. Mentions inside code (fenced blocks and inline code
 * spans) are text, as the renderer shows them, and notify nobody.
 */

const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** One mention; the name may not contain `]` or a line break. */
const mentionPattern = new RegExp(`@\\[([^\\]\\r\\n]{1,200})\\]\\(staff:(${uuid})\\)`, 'g');
const fencedBlock = /^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\2[`~]*[ \t]*$|(?![\s\S]))/gm;
const inlineCode = /(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g;

function withoutCode(markdown: string): string {
  return markdown.replace(fencedBlock, ' ').replace(inlineCode, ' ');
}

/** The staff ids mentioned, each once, lower-cased, in order of first mention. */
export function parseMentions(markdown: string): string[] {
  if (typeof markdown !== 'string' || !markdown.includes('@[')) return [];
  const ids = new Set<string>();
  for (const match of withoutCode(markdown).matchAll(mentionPattern)) ids.add(match[2]!.toLowerCase());
  return [...ids];
}

/** The markup for mentioning a staff user (the editor inserts it). */
export function mentionMarkup(name: string, staffId: string): string {
  const safe = name.replace(/[\]\r\n]/g, ' ').trim() || 'someone';
  return `@[${safe}](staff:${staffId})`;
}

/** Mentions written as `@Name`: for plain-text places such as snippets and notifications. */
export function mentionsToText(markdown: string): string {
  return markdown.replace(mentionPattern, (_m, name: string) => `@${name}`);
}

/**
 * The markdown's words without its markup, for places that show plain text (notification
 * bodies, timeline snippets): links keep their text, emphasis, headings, quotes, list markers
 * and code fences go. Approximate by design: a snippet is a reminder, the note is the source.
 */
export function markdownToText(markdown: string): string {
  return mentionsToText(markdown)
    .replace(/^ {0,3}(`{3,}|~{3,}).*$/gm, '')
    .replace(/!?\[([^\]\n]*)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/^ {0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)/gm, '')
    .replace(/(\*\*|__|~~)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])[*_](?=\S)([^*_\n]*?\S)[*_](?![\w*])/g, '$1$2')
    .replace(/`+([^`]*)`+/g, '$1');
}

/** A one-line plain excerpt of at most `max` characters (an ellipsis marks a cut). */
export function snippetOf(markdown: string, max = 140): string {
  const flat = markdownToText(markdown).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max - 1);
  // never split a surrogate pair (an emoji) in half
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}
