import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * pdfkit's built-in Helvetica only covers WinAnsi (Western European), so "Łukasiewicz" or
 * "Łódź" would print wrong. DejaVu Sans (from the `dejavu-fonts-ttf` package, the upstream
 * TrueType files) covers Latin, Greek and Cyrillic in full; pdfkit embeds only the glyphs a
 * document uses. The condensed cut fits more text in a table cell. Scripts DejaVu lacks (CJK,
 * for one) still show as empty boxes.
 */
const files = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
} as const;

export type PdfFontName = keyof typeof files;

let loaded: Record<PdfFontName, Buffer> | undefined;

/** Read once per process: a report is small, but the font files are 600 KB each. */
export function pdfFonts(): Record<PdfFontName, Buffer> {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = {
      regular: readFileSync(require.resolve(files.regular)),
      bold: readFileSync(require.resolve(files.bold)),
    };
  }
  return loaded;
}
