import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseFormula } from './writers/cell-safety.js';
import {
  contentTypes,
  createExportWriter,
  type ExportColumn,
  type ExportFormat,
  type ExportRow,
  type ExportWriterOptions,
} from './writers/index.js';

// Files go through a real fs.WriteStream, as in the export job, and are read back by independent readers.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-writers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const injections = ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1', '\n=1', '\0=1'];

const columns: ExportColumn[] = [
  { name: 'first_name', label: 'First name', kind: 'text' },
  { name: 'total_orders', label: 'Orders', kind: 'integer' },
  { name: 'lifetime_value', label: 'Lifetime value', kind: 'money' },
  { name: 'last_order_date', label: 'Last order', kind: 'date' },
  { name: 'has_account', label: 'Has an account', kind: 'boolean' },
  { name: 'tags', label: 'Tags', kind: 'list' },
];

const when = new Date('2026-01-31T09:00:00.000Z');
const rows: ExportRow[] = [
  ['Zoë Łukasiewicz', 3, '12.50', when, true, 'vip, newsletter'],
  ['He said "hi", twice', 0, 1234.5, null, false, null],
  ['Two\r\nlines', null, null, new Date('2025-12-01T23:59:59.999Z'), null, ''],
  ['Łódź 東京 🚀', -4, -7, when, true, 'a,b'],
  ...injections.map((s, i): ExportRow => [s, i, `-${i}.25`, when, false, s]),
];

const options = (over: Partial<ExportWriterOptions> = {}): ExportWriterOptions => ({
  columns,
  report: {
    title: 'Customers in Łódź',
    filterDescription: 'City is Łódź and tag is VIP',
    generatedBy: 'Zoë Łukasiewicz',
    generatedAt: when,
    rowCount: rows.length,
  },
  ...over,
});

let fileNo = 0;
async function writeFile(format: ExportFormat, batches: ExportRow[][], o = options()) {
  const path = join(dir, `${++fileNo}.${format}`);
  const out = createWriteStream(path);
  const writer = createExportWriter(format, out, o);
  for (const batch of batches) await writer.write(batch);
  await writer.finish();
  expect(out.writableFinished).toBe(true);
  return path;
}

describe('neutraliseFormula', () => {
  it('prefixes every formula-starting character with a quote and leaves other text alone', () => {
    for (const s of injections) expect(neutraliseFormula(s)).toBe(`'${s}`);
    for (const s of ['', 'Ada', ' =1', "'=1", 'a=1', '1-2']) expect(neutraliseFormula(s)).toBe(s);
  });
});

describe('CSV', () => {
  const money = (v: unknown) => (v === null ? '' : Number(v).toFixed(2));
  const expected = (row: ExportRow) => [
    row[0] === null ? '' : neutraliseFormula(String(row[0])),
    row[1] === null ? '' : String(row[1]),
    money(row[2]),
    row[3] === null ? '' : (row[3] as Date).toISOString(),
    row[4] === null ? '' : String(row[4]),
    row[5] === null ? '' : neutraliseFormula(String(row[5])),
  ];

  it('writes a BOM, a header and RFC 4180 records that csv-parse reads back value for value', async () => {
    const raw = await readFile(
      await writeFile('csv', [rows.slice(0, 3), rows.slice(3)], options({ bom: true })),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parse(text, { bom: true, relax_column_count: false }) as string[][];
    expect(parsed[0]).toEqual(columns.map((c) => c.label));
    expect(parsed.slice(1)).toEqual(rows.map(expected));
    expect(parsed[1]).toEqual([
      'Zoë Łukasiewicz',
      '3',
      '12.50',
      '2026-01-31T09:00:00.000Z',
      'true',
      'vip, newsletter',
    ]);
    // every injection prefix is neutralised in text and list cells; negative money stays a number
    for (const [i, s] of injections.entries()) {
      expect(parsed[5 + i]![0]).toBe(`'${s}`);
      expect(parsed[5 + i]![5]).toBe(`'${s}`);
      expect(parsed[5 + i]![2]).toBe(`-${i}.25`);
    }
  });

  it('starts with the header when there is no BOM and still writes it for an empty export', async () => {
    const text = await readFile(await writeFile('csv', []), 'utf8');
    expect(text).toBe('First name,Orders,Lifetime value,Last order,Has an account,Tags\r\n');
  });

  it('quotes exactly as csv-stringify does, and any text round-trips through csv-parse', async () => {
    const textColumns: ExportColumn[] = [
      { name: 'a', label: 'A', kind: 'text' },
      { name: 'b', label: 'B "quoted", label', kind: 'list' },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string(), fc.string({ unit: 'grapheme' })), { maxLength: 20 }),
        async (cells) => {
          const text = await readFile(
            await writeFile('csv', [cells], options({ columns: textColumns })),
            'utf8',
          );
          const neutralised = cells.map((r) => r.map(neutraliseFormula));
          const reference = stringify([textColumns.map((c) => c.label), ...neutralised], {
            record_delimiter: 'windows',
            eof: true,
          });
          expect(text).toBe(reference);
          expect(parse(text).slice(1)).toEqual(neutralised);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('waits for a slow output to drain and fails when the output fails', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const chunks: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          done();
        }, 2);
      },
    });
    const writer = createExportWriter('csv', slow, options());
    for (let i = 0; i < 5; i++) await writer.write(rows);
    await writer.finish();
    expect(maxInFlight).toBe(1);
    const parsed = parse(Buffer.concat(chunks).toString('utf8')) as string[][];
    expect(parsed).toHaveLength(1 + 5 * rows.length);

    const broken = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, done) {
        done(new Error('disk full'));
      },
    });
    broken.on('error', () => {});
    const failing = createExportWriter('csv', broken, options());
    await expect(failing.write(rows)).rejects.toThrow('disk full');
  });
});

describe('XLSX', () => {
  async function readBook(path: string) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    return wb;
  }

  it('writes typed cells, a bold frozen header and neutralised text, read back with exceljs', async () => {
    const wb = await readBook(await writeFile('xlsx', [rows.slice(0, 2), rows.slice(2)]));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Customers']);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...columns.map((c) => c.label)]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(1 + rows.length);
    for (const c of [1, 2, 3, 4, 5, 6]) expect(sheet.getColumn(c).width).toBeGreaterThan(5);

    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('Zoë Łukasiewicz');
    expect(first.getCell(2).value).toBe(3);
    expect(first.getCell(2).numFmt).toBe('0');
    expect(first.getCell(3).value).toBe(12.5);
    expect(first.getCell(3).numFmt).toBe('#,##0.00');
    expect(first.getCell(4).value).toEqual(when);
    expect(first.getCell(4).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(first.getCell(5).value).toBe(true);
    expect(sheet.getRow(3).getCell(5).value).toBe(false);
    expect(sheet.getRow(3).getCell(4).value).toBeNull();
    expect(sheet.getRow(5).getCell(1).value).toBe('Łódź 東京 🚀');
    expect(sheet.getRow(5).getCell(3).value).toBe(-7);

    for (const [i, s] of injections.entries()) {
      const row = sheet.getRow(6 + i);
      // XML cannot hold NUL (exceljs drops it) and XML readers turn a lone CR into LF
      const stored = `'${s}`.replace(/\0/g, '').replace(/\r/g, '\n');
      expect(String(row.getCell(1).value).replace(/\r/g, '\n')).toBe(stored);
      expect(String(row.getCell(6).value).replace(/\r/g, '\n')).toBe(stored);
      expect(row.getCell(3).value).toBe(-(i + 0.25));
    }
  });

  it('shows dates in the report time zone when one is given', async () => {
    const o = options();
    o.report.timeZone = 'Europe/Paris';
    const wb = await readBook(await writeFile('xlsx', [rows.slice(0, 1)], o));
    expect(wb.worksheets[0]!.getRow(2).getCell(4).value).toEqual(new Date('2026-01-31T10:00:00.000Z'));
  });

  it('starts a new sheet with its own header past maxRowsPerSheet', async () => {
    const wb = await readBook(
      await writeFile('xlsx', [rows.slice(0, 2), rows.slice(2, 7)], options({ maxRowsPerSheet: 3 })),
    );
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Customers', 'Customers (2)', 'Customers (3)']);
    const firstNames = wb.worksheets.map((s) => {
      expect(s.getRow(1).values).toEqual([undefined, ...columns.map((c) => c.label)]);
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      return s
        .getSheetValues()
        .slice(2)
        .map((r) => (r as unknown[])[1]);
    });
    expect(firstNames.map((n) => n.length)).toEqual([3, 3, 1]);
    // XML readers read a CR LF line break in a cell as LF, as Excel writes it
    expect(firstNames.flat()).toEqual(
      rows.slice(0, 7).map((r) => neutraliseFormula(String(r[0])).replace(/\r\n/g, '\n')),
    );
  });

  it('holds the caller while the output cannot take more, then writes everything', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chunks: Buffer[] = [];
    const blocked = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        gate.then(() => done());
      },
    });
    const writer = createExportWriter('xlsx', blocked, options());
    // random text barely compresses, so it soon fills archiver's buffers (about 2 MB) and backs up into the sheet;
    // the leading letter keeps base64's '+' from opening a cell, which the writer would rightly neutralise
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from(
        { length: 5_000 },
        (_, i): ExportRow => [`r${randomBytes(96).toString('base64')}`, b * 5_000 + i, i, when, true, null],
      ),
    );
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let sent = 0;
    let held = false;
    while (!held && sent < batches.length) {
      const written = writer.write(batches[sent++]!);
      held = (await Promise.race([written.then(() => 'written'), sleep(300).then(() => 'held')])) === 'held';
      if (held) {
        release();
        await written;
      }
    }
    expect(held).toBe(true);
    await writer.finish();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + sent * 5_000);
    expect(sheet.getRow(sent * 5_000 + 1).getCell(1).value).toBe(batches[sent - 1]![4_999]![0]);
  });

  it('writes a header-only sheet for an empty export', async () => {
    const wb = await readBook(await writeFile('xlsx', []));
    expect(wb.worksheets[0]!.rowCount).toBe(1);
  });
});

describe('PDF', () => {
  async function pdfText(path: string) {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await pdfjs.getDocument({ data: new Uint8Array(await readFile(path)) }).promise;
    const pages: { text: string; width: number; height: number }[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const [, , width, height] = page.view;
      pages.push({
        text: content.items.map((item) => ('str' in item ? item.str : '')).join('\n'),
        width: width!,
        height: height!,
      });
    }
    return pages;
  }

  const many = (n: number): ExportRow[] =>
    Array.from({ length: n }, (_, i) => [`Customer ${i + 1}`, i, `${i}.5`, when, i % 2 === 0, 'vip']);

  it('writes a report: title, filter, who and when, row count, a table and "Page N of M" on every page', async () => {
    const data = [...rows, ...many(120)];
    const pages = await pdfText(
      await writeFile(
        'pdf',
        [data.slice(0, 50), data.slice(50)],
        options({ report: { ...options().report, rowCount: data.length } }),
      ),
    );
    expect(pages.length).toBeGreaterThan(2);
    const first = pages[0]!.text;
    expect(first).toContain('Customers in Łódź');
    expect(first).toContain('City is Łódź and tag is VIP');
    expect(first).toContain('Generated by Zoë Łukasiewicz on 31 January 2026 at 09:00 (UTC)');
    expect(first).toContain(`${data.length} customers`);
    expect(first).toContain('Zoë Łukasiewicz');
    expect(first).toContain('Łódź');
    expect(first).toContain('1,234.50');
    expect(first).toContain('2026-01-31 09:00');
    expect(first).toContain('Yes');
    pages.forEach((page, i) => {
      for (const c of columns) expect(page.text).toContain(c.label);
      expect(page.text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page.width).toBeLessThan(page.height);
    });
    const all = pages.map((p) => p.text).join('\n');
    for (let i = 1; i <= 120; i++) expect(all).toContain(`Customer ${i}\n`);
  });

  it('turns the page to landscape for many columns and cuts long text to fit its cell', async () => {
    const wide: ExportColumn[] = Array.from({ length: 9 }, (_, i) => ({
      name: `c${i}`,
      label: `Column ${i}`,
      kind: 'text',
    }));
    const long = 'A very long company name that cannot possibly fit into one narrow table cell of a report';
    const pages = await pdfText(
      await writeFile(
        'pdf',
        [[Array.from({ length: 9 }, (_, i) => (i === 0 ? long : `v${i}`))]],
        options({ columns: wide }),
      ),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]!.width).toBeGreaterThan(pages[0]!.height);
    const cut = pages[0]!.text.split('\n').find((t) => t.startsWith('A very long'));
    expect(cut).toMatch(/…$/);
    expect(long.startsWith(cut!.slice(0, -1))).toBe(true);
    expect(pages[0]!.text).toContain('v8');
  });

  it('says so when nothing matched', async () => {
    const pages = await pdfText(
      await writeFile('pdf', [], options({ report: { ...options().report, rowCount: 0 } })),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]!.text).toContain('No customers match this selection.');
    expect(pages[0]!.text).toContain('Page 1 of 1');
  });
});

describe('contentTypes', () => {
  it('names each format the way browsers and spreadsheet apps expect', () => {
    expect(contentTypes).toEqual({
      csv: 'text/csv; charset=utf-8',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      pdf: 'application/pdf',
    });
  });
});
