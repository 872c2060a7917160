import { createCsvWriter } from './csv-writer.js';
import { createPdfWriter } from './pdf-writer.js';
import type { ExportFormat, ExportWriter, ExportWriterOptions } from './types.js';
import { createXlsxWriter } from './xlsx-writer.js';

export { neutraliseFormula } from './cell-safety.js';
export type {
  ExportColumn,
  ExportFormat,
  ExportReportInfo,
  ExportRow,
  ExportValueKind,
  ExportWriter,
  ExportWriterOptions,
} from './types.js';

export { exportContentTypes as contentTypes } from '../../../../shared/exports.js';

/**
 * A writer for one export file. Feed it batches of rows in column order, then `finish()`: it
 * ends `out` and resolves once the file is flushed.
 */
export function createExportWriter(
  format: ExportFormat,
  out: NodeJS.WritableStream,
  o: ExportWriterOptions,
): ExportWriter {
  switch (format) {
    case 'csv':
      return createCsvWriter(out, o);
    case 'xlsx':
      return createXlsxWriter(out, o);
    case 'pdf':
      return createPdfWriter(out, o);
  }
}
