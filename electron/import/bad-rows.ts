/**
 * The rows an import left out, as a workbook to fix and import again: the file's own headers and cells (dates as
 * dates, text as text, so that Excel changes nothing), each row followed by why it was left out (错误原因, which the
 * importer ignores when the file comes back).
 */
import ExcelJS from 'exceljs';
import { cellText } from './cells.ts';
import { BAD_ROWS_REASON_HEADER } from './headers.ts';
import type { CellValue, Table } from './table.ts';

const TEXT_FORMAT = '@';

function setCell(cell: ExcelJS.Cell, value: CellValue | undefined): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    const d = value.date;
    // Written as the wall clock it was read as (exceljs stores a Date's UTC fields).
    cell.value = new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
    cell.numFmt = d.hour || d.minute || d.second ? 'yyyy-mm-dd hh:mm:ss' : 'yyyy-mm-dd';
    return;
  }
  cell.value = value;
  // Text stays text when the manager edits it: a plate or an order number is not turned into a number or a date.
  if (typeof value === 'string') cell.numFmt = TEXT_FORMAT;
}

/** The bad rows only, in the file's order; `problems` by the sheet's row number. */
export async function badRowsXlsx(table: Table, problems: Map<number, string[]>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '停车场岗亭控制台';
  const ws = wb.addWorksheet('续费', { views: [{ state: 'frozen', ySplit: 1 }] });
  const bad = table.rows.filter((r) => problems.has(r.row));
  const width = Math.max(table.headers.length, ...bad.map((r) => r.cells.length));
  const reasonColumn = width + 1;

  const header = ws.getRow(1);
  table.headers.forEach((h, i) => {
    header.getCell(i + 1).value = h;
  });
  header.getCell(reasonColumn).value = BAD_ROWS_REASON_HEADER;
  header.font = { bold: true };
  header.getCell(reasonColumn).font = { bold: true, color: { argb: 'FFC00000' } };

  bad.forEach((r, n) => {
    const row = ws.getRow(n + 2);
    for (let i = 0; i < width; i++) setCell(row.getCell(i + 1), r.cells[i]);
    const reason = row.getCell(reasonColumn);
    reason.value = `原第 ${r.row} 行: ${(problems.get(r.row) ?? []).join('; ')}`;
    reason.font = { color: { argb: 'FFC00000' } };
  });

  for (let i = 1; i <= width; i++) {
    const longest = Math.max(
      ...[table.headers[i - 1] ?? '', ...bad.slice(0, 200).map((r) => cellText(r.cells[i - 1]))].map((t) => t.length),
    );
    ws.getColumn(i).width = Math.min(40, Math.max(10, longest * 2 + 2));
  }
  ws.getColumn(reasonColumn).width = 80;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
