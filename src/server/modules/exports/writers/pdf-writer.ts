import { setImmediate } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import { formatLongDateTime } from './dates.js';
import { minWidth, rightAligned, showCell } from './pdf-cells.js';
import { pdfFonts } from './pdf-fonts.js';
import { cachedMeasure, type FontMeasure, fitColumns, fitText } from './pdf-layout.js';
import { flushed } from './stream-io.js';
import type { ExportColumn, ExportRow, ExportWriter, ExportWriterOptions } from './types.js';

const MARGIN = 36;
const FOOTER_SPACE = 24;
const FONT_SIZE = 8;
const ROW_HEIGHT = 13;
const HEADER_HEIGHT = 16;
const PAD = 3;
/** Columns that fit a portrait A4 page at a readable size; more turn the page to landscape. */
const PORTRAIT_MAX_COLUMNS = 6;
const YIELD_EVERY = 250;

/**
 * A PDF report: title, filter, who and when, row count, then the rows as a table whose header
 * repeats on every page, and "Page N of M" under each page. Pages stay buffered until the end
 * because M is known only then; the caller limits reports to a few thousand rows.
 */
export function createPdfWriter(out: NodeJS.WritableStream, o: ExportWriterOptions): ExportWriter {
  const { columns, report } = o;
  const doc = new PDFDocument({
    size: 'A4',
    layout: columns.length > PORTRAIT_MAX_COLUMNS ? 'landscape' : 'portrait',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    bufferPages: true,
    info: {
      Title: report.title,
      Author: report.generatedBy,
      Subject: report.filterDescription,
      CreationDate: report.generatedAt,
    },
  });
  doc.pipe(out);
  const fonts = pdfFonts();
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);

  const left = MARGIN;
  const usable = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - FOOTER_SPACE;
  let widths: number[] | undefined;
  let y = 0;
  let striped = false;

  const measure = cachedMeasure((font, ch) => doc.font(font).fontSize(FONT_SIZE).widthOfString(ch));

  const drawCells = (texts: readonly string[], top: number, font: 'regular' | 'bold') => {
    doc.font(font).fontSize(FONT_SIZE).fillColor('#222222');
    let x = left;
    texts.forEach((raw, i) => {
      const w = widths![i]!;
      const text = fitText(raw, w - 2 * PAD, measure(font));
      const tx = rightAligned(columns[i]!.kind) ? x + w - PAD - measure(font)(text) : x + PAD;
      doc.text(text, tx, top, { lineBreak: false });
      x += w;
    });
  };

  const drawHeader = () => {
    doc.rect(left, y, usable, HEADER_HEIGHT).fill('#e8ecf1');
    drawCells(
      columns.map((c) => c.label),
      y + (HEADER_HEIGHT - FONT_SIZE) / 2 - 1,
      'bold',
    );
    y += HEADER_HEIGHT;
    striped = false;
  };

  const startTable = (sample: readonly ExportRow[]) => {
    widths = fitColumns(wantedWidths(columns, sample.slice(0, 200), measure, report.timeZone), usable);
    drawTitleBlock(doc, o, usable);
    y = doc.y + 10;
    drawHeader();
  };

  const drawRow = (texts: readonly string[]) => {
    if (y + ROW_HEIGHT > bottom()) {
      doc.addPage();
      y = MARGIN;
      drawHeader();
    }
    if (striped) doc.rect(left, y, usable, ROW_HEIGHT).fill('#f6f7f9');
    striped = !striped;
    drawCells(texts, y + (ROW_HEIGHT - FONT_SIZE) / 2 - 1, 'regular');
    y += ROW_HEIGHT;
  };

  let rows = 0;
  return {
    async write(batch: readonly ExportRow[]) {
      if (!widths) startTable(batch);
      for (const [n, row] of batch.entries()) {
        drawRow(columns.map((c, i) => showCell(c.kind, row[i], report.timeZone)));
        // laying out a few thousand rows takes a second or two: let the server answer requests meanwhile
        if (n % YIELD_EVERY === YIELD_EVERY - 1) await setImmediate();
      }
      rows += batch.length;
    },
    async finish() {
      if (!widths) startTable([]);
      if (rows === 0) {
        doc
          .font('regular')
          .fontSize(9)
          .fillColor('#555555')
          .text('No customers match this selection.', left, y + 6);
      }
      drawFooters(doc, report.title);
      doc.end();
      await flushed(out);
    },
  };
}

/** What each column would like: its label, or its content in the sample, within a sensible range. */
function wantedWidths(
  columns: readonly ExportColumn[],
  sample: readonly ExportRow[],
  measure: FontMeasure,
  timeZone: string | undefined,
): number[] {
  const bold = measure('bold');
  const regular = measure('regular');
  return columns.map((c, i) => {
    let w = Math.max(bold(c.label), minWidth[c.kind]);
    for (const row of sample) w = Math.max(w, regular(showCell(c.kind, row[i], timeZone)));
    return Math.min(w, 220) + 2 * PAD;
  });
}

function drawTitleBlock(doc: PDFKit.PDFDocument, o: ExportWriterOptions, width: number) {
  const { report } = o;
  doc.font('bold').fontSize(16).fillColor('#111111').text(report.title, MARGIN, MARGIN, { width });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(9).fillColor('#333333');
  doc.text(report.filterDescription || 'All customers', { width });
  const when = formatLongDateTime(report.generatedAt, report.timeZone);
  doc.text(`Generated by ${report.generatedBy} on ${when}`, { width });
  const n = report.rowCount;
  doc.text(`${n.toLocaleString('en')} ${n === 1 ? 'customer' : 'customers'}`, { width });
}

/** "Page N of M" under every page, drawn at the end once M is known. */
function drawFooters(doc: PDFKit.PDFDocument, title: string) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // the footer sits in the bottom margin: without this pdfkit would start a new page for it
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - 8;
    const label = `Page ${i + 1} of ${range.count}`;
    doc.font('regular').fontSize(8).fillColor('#666666');
    const right = doc.page.width - MARGIN;
    doc.text(
      fitText(title, right - MARGIN - doc.widthOfString(label) - 20, (s) => doc.widthOfString(s)),
      MARGIN,
      y,
      {
        lineBreak: false,
      },
    );
    doc.text(label, right - doc.widthOfString(label), y, { lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}
