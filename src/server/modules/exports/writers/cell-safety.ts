/**
 * Characters that make a spreadsheet treat a cell as a formula (=, +, -, @) or that some
 * spreadsheets strip before looking for one (tab, CR, LF, NUL). See OWASP "CSV Injection" and
 * ASVS 5.0 requirement 1.2.10.
 */
const formulaStarts = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\0']);

/**
 * Customer data is typed by anyone (a sign-up form, an import), and a cell such as
 * `=HYPERLINK("http://evil", "click")` runs when the export is opened in Excel or pasted into a
 * sheet. A leading `'` makes spreadsheets show the text as text. Only string cells go through
 * here: numbers are typed cells, so a negative amount stays a number.
 */
export function neutraliseFormula(value: string): string {
  return value.length > 0 && formulaStarts.has(value[0]!) ? `'${value}` : value;
}
