/**
 * Neutralises a CSV cell that a spreadsheet would evaluate: text starting with = + - @, a tab or a
 * carriage return gets a leading apostrophe (OWASP's CSV injection advice). Numbers stay numbers.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
