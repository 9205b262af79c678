/**
 * RFC 4180 CSV as departments export it: UTF-8 without BOM, LF line ends, a
 * field quoted only when it must be (a comma, quote or line break, or spaces at
 * either end that a trimming reader would otherwise lose).
 */
export function csvField(value: string | number): string {
  const text = String(value);
  if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvLine(values: readonly (string | number)[]): string {
  return values.map(csvField).join(',');
}

/** Splits one CSV line (no line breaks inside fields, which the feeds never have). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote in: ${line}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end;
    }
    if (i >= line.length) break;
    i++; // the comma
    if (i === line.length) {
      out.push('');
      break;
    }
  }
  return out;
}
