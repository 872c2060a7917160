import type { PdfFontName } from './pdf-fonts.js';

/** Measures a string in the current font and size (pdfkit's `widthOfString`). */
export type Measure = (text: string) => number;

const ELLIPSIS = '…';

/** One line per cell: line breaks and tabs become spaces, then the text is cut to fit with an ellipsis. */
export function fitText(text: string, width: number, measure: Measure): string {
  const line = text.replace(/[\r\n\t]+/g, ' ');
  if (measure(line) <= width) return line;
  // binary search for the longest prefix that still fits with the ellipsis
  let lo = 0;
  let hi = line.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(line.slice(0, mid) + ELLIPSIS) <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : line.slice(0, lo).trimEnd() + ELLIPSIS;
}

/**
 * Shares `available` points among columns that would like `wanted` points each. When all fit,
 * the slack is spread in proportion; otherwise narrow columns keep their width and the wide
 * ones split what is left equally (so one long column cannot squeeze all the others).
 */
export function fitColumns(wanted: readonly number[], available: number): number[] {
  const total = wanted.reduce((a, b) => a + b, 0);
  if (wanted.length === 0) return [];
  if (total <= available) return wanted.map((w) => (w * available) / total);
  const widths = new Array<number>(wanted.length).fill(0);
  let open = wanted.map((_, i) => i);
  let left = available;
  for (;;) {
    const share = left / open.length;
    const narrow = open.filter((i) => wanted[i]! <= share);
    if (narrow.length === 0) {
      for (const i of open) widths[i] = share;
      return widths;
    }
    for (const i of narrow) {
      widths[i] = wanted[i]!;
      left -= wanted[i]!;
    }
    open = open.filter((i) => wanted[i]! > share);
    if (open.length === 0) return widths;
  }
}

export type FontMeasure = (font: PdfFontName) => Measure;

/**
 * Text width from cached per-character advances. pdfkit's `widthOfString` shapes the whole
 * string with fontkit each time, which made measuring (and cutting to fit) most of the cost of a
 * 5,000-row report. Kerning and ligatures, which this ignores, tighten DejaVu's text rather
 * than widen it (checked on Latin, Greek and Cyrillic), so a cut string still fits its cell.
 */
export function cachedMeasure(measureChar: (font: PdfFontName, ch: string) => number): FontMeasure {
  const caches = { regular: new Map<string, number>(), bold: new Map<string, number>() };
  return (font) => {
    const cache = caches[font];
    return (text) => {
      let width = 0;
      for (const ch of text) {
        let w = cache.get(ch);
        if (w === undefined) {
          w = measureChar(font, ch);
          cache.set(ch, w);
        }
        width += w;
      }
      return width;
    };
  };
}
