import { Stream } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from './cell-safety.js';
import { waitFor } from './stream-io.js';
import type { ExportRow, ExportWriter, ExportWriterOptions } from './types.js';
import { columnWidths, kindStyles, type XlsxValue, xlsxCells } from './xlsx-cells.js';

/** Excel's 1,048,576 rows per sheet, less the header row. */
export const EXCEL_MAX_DATA_ROWS = 1_048_575;
const SHEET_NAME = 'Customers';

const headerStyle = { font: { bold: true } };

/**
 * exceljs's streaming writer hands each sheet's XML to the zip through a PassThrough and ignores
 * `write()`'s answer, so nothing slows the caller when compression or the disk falls behind and
 * the backlog grows in memory. We look at that PassThrough (exceljs internals:
 * `worksheet.stream.pipes`, readable-stream 2's `_writableState`) and wait for it to drain.
 */
function backloggedPipe(sheet: ExcelJS.Worksheet): NodeJS.EventEmitter | undefined {
  const stream: unknown = Reflect.get(sheet, 'stream');
  const pipes: unknown = stream && typeof stream === 'object' ? Reflect.get(stream, 'pipes') : undefined;
  if (!Array.isArray(pipes)) return undefined;
  return pipes.find(
    (p): p is NodeJS.EventEmitter =>
      p instanceof Stream && Reflect.get(p, '_writableState')?.needDrain === true,
  );
}

/**
 * XLSX through exceljs's streaming writer: rows are committed as they come, so only the batch in
 * hand is in memory; past `maxRowsPerSheet` data rows a new sheet starts with its own header.
 */
export function createXlsxWriter(out: NodeJS.WritableStream, o: ExportWriterOptions): ExportWriter {
  if (!(out instanceof Stream)) throw new TypeError('The XLSX writer needs a Node.js stream');
  const maxRows = Math.max(1, Math.min(o.maxRowsPerSheet ?? EXCEL_MAX_DATA_ROWS, EXCEL_MAX_DATA_ROWS));
  const { report, columns } = o;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = report.generatedBy;
  workbook.created = report.generatedAt;
  workbook.title = report.title;
  workbook.description = report.filterDescription;

  const convert = columns.map((c) => xlsxCells[c.kind]);
  const styles = columns.map((c) => kindStyles[c.kind]);
  let widths: number[] | undefined;
  let sheet: ExcelJS.Worksheet | undefined;
  let sheets = 0;
  let rowsInSheet = 0;

  const startSheet = () => {
    sheet?.commit();
    sheets += 1;
    sheet = workbook.addWorksheet(sheets === 1 ? SHEET_NAME : `${SHEET_NAME} (${sheets})`, {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = columns.map((c, i) => ({ key: c.name, width: widths?.[i], style: styles[i] }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(columns.length, 1) } };
    const header = sheet.addRow(columns.map((c) => neutraliseFormula(c.label)));
    header.eachCell((cell) => {
      cell.style = headerStyle;
    });
    header.commit();
    rowsInSheet = 0;
    return sheet;
  };

  const addRow = (target: ExcelJS.Worksheet, row: ExportRow) => {
    const values: XlsxValue[] = convert.map((f, i) => f(row[i], report.timeZone));
    const added = target.addRow(values);
    // shared style objects instead of the per-cell copies exceljs makes (see kindStyles)
    added.eachCell((cell, col) => {
      cell.style = styles[col - 1]!;
    });
    added.commit();
  };

  return {
    async write(rows: readonly ExportRow[]) {
      widths ??= columnWidths(columns, rows.slice(0, 1_000));
      let current = sheet ?? startSheet();
      for (const row of rows) {
        if (rowsInSheet >= maxRows) current = startSheet();
        addRow(current, row);
        rowsInSheet += 1;
      }
      const pipe = backloggedPipe(current);
      if (pipe) await waitFor(pipe, 'drain', out);
    },
    async finish() {
      widths ??= columnWidths(columns, []);
      (sheet ?? startSheet()).commit();
      // resolves on `out`'s 'finish', once the zip is written out
      await workbook.commit();
    },
  };
}
