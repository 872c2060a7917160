import type { ExportValueKind } from '../../../../shared/export-fields.js';

export type { ExportValueKind };
export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

export interface ExportColumn {
  name: string;
  label: string;
  kind: ExportValueKind;
}

/**
 * One row: values in column order. text/list: string|null; integer/money: number|null (money
 * may also arrive as a numeric string such as "12.50", as `pg` returns `numeric`); date:
 * Date|null; boolean: boolean|null.
 */
export type ExportRow = readonly unknown[];

export interface ExportReportInfo {
  title: string;
  filterDescription: string;
  generatedBy: string;
  generatedAt: Date;
  rowCount: number;
  /** IANA zone for dates shown to people (XLSX cells, the PDF); UTC when absent. CSV stays ISO 8601 UTC. */
  timeZone?: string;
}

export interface ExportWriterOptions {
  columns: ExportColumn[];
  /** CSV only: start with a UTF-8 byte order mark so Excel opens the file as UTF-8. */
  bom?: boolean;
  report: ExportReportInfo;
  /** XLSX only: data rows per sheet before a new sheet starts; default 1,048,575 (Excel's 1,048,576 rows less the header). */
  maxRowsPerSheet?: number;
}

export interface ExportWriter {
  /** Writes a batch (typically 1,000-5,000 rows); resolves when the output can take more. */
  write(rows: readonly ExportRow[]): Promise<void>;
  /** Finishes the file, ends `out` and resolves once everything is flushed to it. */
  finish(): Promise<void>;
}
