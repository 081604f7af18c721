// CSV for people who open it in Excel: UTF-8 with a byte-order mark (else Excel on Chinese Windows reads GBK and
// garbles 中文), CRLF line ends, RFC 4180 quoting, and text that looks like a formula defused (CSV injection).
const BOM = '\uFEFF';

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  // A cell an institution named "=HYPERLINK(…)" must stay text in Excel: prefix an apostrophe.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(headers: string[], rows: (string | number | null | undefined)[][]): string {
  return BOM + [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
