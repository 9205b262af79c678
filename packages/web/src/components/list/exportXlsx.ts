/** One sheet of an export: column headers and rows of plain values, as the list shows them. */
export interface SheetData {
  sheetName: string;
  headers: string[];
  rows: (string | number)[][];
}

/**
 * Builds a real .xlsx in the browser (exceljs, loaded only when someone exports) and hands it
 * to the browser as a download. The values are the ones on screen: masked ID numbers, money in
 * 元, names instead of codes.
 */
export async function downloadXlsx(fileName: string, data: SheetData): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(data.sheetName.slice(0, 31));
  sheet.addRow(data.headers).font = { bold: true };
  for (const row of data.rows) sheet.addRow(row);
  sheet.columns.forEach((col, i) => {
    const widest = Math.max(
      data.headers[i]!.length * 2,
      ...data.rows.slice(0, 200).map((r) => String(r[i] ?? '').length * 1.2),
    );
    col.width = Math.min(60, Math.max(8, Math.ceil(widest) + 2));
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  const blob = new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.endsWith('.xlsx') ? fileName : `${fileName}.xlsx`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser the time to start the download before the blob goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
