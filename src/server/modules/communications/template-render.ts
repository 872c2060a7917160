import type { Kysely } from 'kysely';
import Mustache from 'mustache';
import {
  type RenderedEmail,
  type TemplateVariable,
  templateVariables,
} from '../../../shared/communications.js';
import type { DB } from '../../db/schema.js';
import { fromCustomers } from '../criteria/criteria.source.js';

/** One customer's values for a template; a missing variable renders empty. */
export type TemplateVars = Partial<Record<TemplateVariable, string>>;

type TemplateContent = { subject: string; body_html: string; body_text: string };
type TemplateField = keyof TemplateContent;
type TemplateCache = Mustache.TemplateCache;
type TemplateSpans = Mustache.TemplateSpans;
export type TemplateProblem = { field: TemplateField; message: string };

/**
 * Mustache keeps every template it ever parsed; previews send new content on each keystroke, so
 * our writers keep only the most recent ones.
 */
function boundedCache(max: number): TemplateCache {
  const entries = new Map<string, string>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    clear: () => entries.clear(),
  };
}

class CachingWriter extends Mustache.Writer {
  constructor() {
    super();
    (this as unknown as { templateCache: TemplateCache }).templateCache = boundedCache(200);
  }
}

/** HTML output: even `{{{x}}}` and `{{&x}}` are escaped, should such a template get past the checks. */
class HtmlWriter extends CachingWriter {
  override unescapedValue(token: string[], context: Mustache.Context): string {
    return this.escapedValue(token, context, undefined);
  }
}

const plainWriter = new CachingWriter();
const htmlWriter = new HtmlWriter();
const asPlainText = { escape: (value: unknown) => String(value) };

/** Only the known variables, on an object without a prototype (so `{{constructor}}` is empty). */
function viewOf(vars: TemplateVars): Record<string, string> {
  const view = Object.create(null) as Record<string, string>;
  for (const name of templateVariables) {
    const value = vars[name];
    if (typeof value === 'string') view[name] = value;
  }
  return view;
}

/**
 * Renders a template for one recipient: values are HTML-escaped in the HTML part only; the
 * subject and text part are plain text (the subject on one line). Partials render empty.
 */
export function renderTemplate(content: TemplateContent, vars: TemplateVars): RenderedEmail {
  const view = viewOf(vars);
  return {
    subject: plainWriter
      .render(content.subject, view, {}, asPlainText)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    html: htmlWriter.render(content.body_html, view, {}),
    text: plainWriter.render(content.body_text, view, {}, asPlainText),
  };
}

const known = new Set<string>(templateVariables);
const knownList = templateVariables.join(', ');

/** Mustache's parse errors ("Unclosed section \"a\" at 7") in the editor's words. */
function syntaxMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const unclosedSection = /^Unclosed section "(.*)" at (\d+)/.exec(raw);
  if (unclosedSection) {
    const [, name, at] = unclosedSection;
    return `Section {{#${name}}} is not closed (near character ${at}): end it with {{/${name}}}`;
  }
  const unopened = /^Unopened section "(.*)" at (\d+)/.exec(raw);
  if (unopened) {
    const [, name, at] = unopened;
    return `{{/${name}}} at character ${at} closes a section that was not opened with {{#${name}}}`;
  }
  const unclosedTag = /^Unclosed tag at (\d+)/.exec(raw);
  if (unclosedTag) return `A tag is not closed (near character ${unclosedTag[1]}): end it with }}`;
  return `Template syntax error: ${raw}`;
}

function tokenProblems(field: TemplateField, spans: TemplateSpans, out: TemplateProblem[]) {
  for (const span of spans) {
    const [type, value] = span;
    if (type === 'text' || type === '!' || type === '=') continue;
    if (type === '>') {
      out.push({ field, message: `Partials such as {{>${value}}} are not supported` });
      continue;
    }
    if (type === '&' && field === 'body_html') {
      out.push({
        field,
        message: `{{{${value}}}} and {{&${value}}} would put customer data into the HTML unescaped: use {{${value}}}`,
      });
    }
    if (!known.has(value))
      out.push({ field, message: `Unknown variable {{${value}}}: use one of ${knownList}` });
    const children = span[4];
    if ((type === '#' || type === '^') && Array.isArray(children)) tokenProblems(field, children, out);
  }
}

/**
 * What is wrong with a template's parts (only those given): syntax errors, variables we do not
 * know, partials, and raw output in the HTML part (customer data there must be escaped).
 */
export function templateProblems(content: Partial<TemplateContent>): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  for (const field of ['subject', 'body_html', 'body_text'] as const) {
    const source = content[field];
    if (source === undefined) continue;
    let spans: TemplateSpans;
    try {
      spans = plainWriter.parse(source) as TemplateSpans;
    } catch (err) {
      out.push({ field, message: syntaxMessage(err) });
      continue;
    }
    const before = out.length;
    tokenProblems(field, spans, out);
    // the same mistake repeated in one part is reported once
    const seen = new Set<string>();
    const mine = out.splice(before).filter((p) => !seen.has(p.message) && seen.add(p.message));
    out.push(...mine);
  }
  return out;
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1,234.50" from a numeric column's text. */
export function formatMoney(value: string | number | null): string {
  const n = Number(value ?? 0);
  return money.format(Number.isFinite(n) ? n : 0);
}

/** "4 Mar 2026" in UTC (spelled out by hand: ICU's en-GB now says "Sept"). */
export function formatDay(date: Date | null): string {
  if (!date) return '';
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * Template values for many customers in one query (campaigns ask for up to 500 at a time).
 * sender_name and unsubscribe_url are the caller's to fill.
 */
export async function customerTemplateVars(
  db: Kysely<DB>,
  customerIds: readonly string[],
): Promise<Map<string, TemplateVars>> {
  const result = new Map<string, TemplateVars>();
  if (customerIds.length === 0) return result;
  const rows = await fromCustomers(db)
    .select([
      'c.id',
      'c.first_name',
      'c.last_name',
      'c.company',
      'c.email',
      'm.customer_status',
      'm.lifecycle_stage',
      'm.lifetime_value',
      'm.total_orders',
      'm.average_order_value',
      'm.last_order_date',
    ])
    .where('c.id', 'in', [...new Set(customerIds)])
    .execute();
  for (const row of rows) {
    const name = [row.first_name, row.last_name].filter((p) => p?.trim()).join(' ');
    result.set(row.id, {
      first_name: row.first_name ?? '',
      last_name: row.last_name ?? '',
      full_name: name || row.company || '',
      email: row.email ?? '',
      company: row.company ?? '',
      customer_status: row.customer_status,
      lifecycle_stage: row.lifecycle_stage,
      lifetime_value: formatMoney(row.lifetime_value),
      total_orders: String(Math.trunc(Number(row.total_orders))),
      average_order_value: formatMoney(row.average_order_value),
      last_order_date: formatDay(row.last_order_date),
    });
  }
  return result;
}
