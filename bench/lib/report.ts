import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BrowserRun, describeRun } from './browser.js';

/**
 * Writes one engine's latest results into docs/benchmarks.md, between the markers
 * `<!-- results:<engine>:start -->` and `<!-- results:<engine>:end -->`; the rest of the page
 * (method, analysis) is written by hand and left alone.
 */
export interface Report {
  engine: string;
  version: string;
  customers: number;
  orders: number;
  machine: string;
  load: string;
  command: string;
  table: string;
  details: string;
  countTable: string;
  browserRuns: BrowserRun[] | null;
  browserNote: string;
  rowSelector: string;
  segmentTable: string | null;
  segmentFacts: string[];
}

const docPath = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

export function renderReport(r: Report): string {
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const browser = r.browserRuns
    ? r.browserRuns
        .map((b, i) => `- run ${i + 1}${b.cold ? ' (cold cache)' : ''}: ${describeRun(b)}`)
        .join('\n')
    : r.browserNote || 'not measured (--no-browser)';
  return [
    `### ${r.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${r.customers.toLocaleString('en-US')} customers, ${r.orders.toLocaleString('en-US')} orders`,
    '',
    `- date: ${date} UTC`,
    `- engine: ${r.version.split(',')[0]}`,
    `- machine: ${r.machine}`,
    `- load: ${r.load}`,
    `- command: \`${r.command}\``,
    '',
    r.table,
    '',
    "p50/p95: round trip over HTTP on localhost (client to parsed JSON); server p95: Fastify's own",
    'elapsed time for the same requests.',
    '',
    r.details,
    '',
    'The list answers with `total`, an exact count run beside the page query. The two, timed',
    'directly against the database without HTTP (10 runs each):',
    '',
    r.countTable,
    '',
    `Browser (Chromium headless, 1440×900, signed in; times since navigation start; row selector`,
    `\`${r.rowSelector}\`):`,
    '',
    browser,
    '',
    ...(r.segmentTable
      ? [
          'Segmentation (bench/segments.ts: services and HTTP in-process; its segments, tag, events and',
          'jobs are removed afterwards):',
          '',
          r.segmentTable,
          '',
          ...r.segmentFacts.flatMap((f) => [f, '']),
        ]
      : []),
  ].join('\n');
}

export function writeReport(r: Report): string {
  const start = `<!-- results:${r.engine}:start -->`;
  const end = `<!-- results:${r.engine}:end -->`;
  const section = `${start}\n${renderReport(r)}${end}`;
  const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  const a = current.indexOf(start);
  const b = current.indexOf(end);
  const next =
    a >= 0 && b > a
      ? current.slice(0, a) + section + current.slice(b + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(docPath, next);
  return docPath;
}
