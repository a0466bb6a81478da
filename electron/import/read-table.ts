/**
 * A spreadsheet file as a table: its format told by its bytes (and its name when the bytes cannot say), the header
 * row found, blank rows dropped, every row numbered as the sheet numbers it. Reading yields to the event loop every
 * few hundred rows, so a 20,000-row file keeps the window and the upload worker running.
 */
import { cellText, isBlankCell } from './cells.ts';
import { readCsv } from './read-csv.ts';
import { readXlsx } from './read-xlsx.ts';
import {
  type CellValue,
  ImportFileError,
  type RawRow,
  type RawSheet,
  ROWS_PER_YIELD,
  type Table,
  type TableRow,
  yieldToEventLoop,
} from './table.ts';

export type { CellValue, LocalDateTime, Table, TableRow } from './table.ts';
export { ImportFileError } from './table.ts';

/** An OLE compound file: Excel 97-2003 (.xls), WPS's .et, or any Office file with an opening password. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

const extensionOf = (fileName: string) => /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

/**
 * Title rows above the header (a merged 2026年12月固定车续费 across the top) are skipped: the header is the first
 * non-blank row with two or more cells, among this many.
 */
const MAX_TITLE_ROWS = 10;

const filled = (cells: CellValue[]) => cells.filter((c) => !isBlankCell(c)).length;

async function sheetOf(fileName: string, bytes: Uint8Array): Promise<RawSheet> {
  const ext = extensionOf(fileName);
  const name = `「${fileName}」`;
  if (bytes.length === 0) throw new ImportFileError(`文件${name}是空的, 没有可导入的内容`);
  if (startsWith(bytes, OLE) || ext === 'xls') {
    throw new ImportFileError(
      `文件${name}是旧版 Excel 97-2003 (.xls) 格式或设置了打开密码, 无法直接导入: 请在 Excel 中另存为 .xlsx (Excel 工作簿, 不设密码) 后再导入`,
    );
  }
  // A zip is an .xlsx whatever its name says (a workbook renamed to .csv reads all the same).
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readXlsx(bytes);
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return readCsv(bytes);
  if (ext === 'xlsx' || ext === 'xlsm') {
    throw new ImportFileError(
      `文件${name}不是有效的 .xlsx 文件 (可能已损坏或只是改了扩展名), 请在 Excel 中另存为 .xlsx 后再导入`,
    );
  }
  throw new ImportFileError(`只能导入 Excel 工作簿 (.xlsx) 或 CSV 文件 (.csv), 文件${name}不是`);
}

export async function readTable(
  fileName: string,
  bytes: Uint8Array,
  onProgress?: (done: number, total: number) => void,
): Promise<Table> {
  const sheet = await sheetOf(fileName, bytes);
  const leading: RawRow[] = [];
  let header: RawRow | null = null;
  const rows: TableRow[] = [];
  let done = 0;
  for await (const raw of sheet.rows) {
    done += 1;
    if (done % ROWS_PER_YIELD === 0) {
      onProgress?.(done, Math.max(sheet.expectedRows, done));
      await yieldToEventLoop();
    }
    if (filled(raw.cells) === 0) continue;
    if (header) {
      rows.push({ row: raw.row, cells: raw.cells });
      continue;
    }
    leading.push(raw);
    if (filled(raw.cells) >= 2) header = leading.pop()!;
    else if (leading.length < MAX_TITLE_ROWS) continue;
    else header = leading.shift()!;
    // Rows before a header of two or more cells were titles; after a one-cell header, they are its data.
    if (filled(header.cells) < 2) rows.push(...leading);
    leading.length = 0;
  }
  if (!header) {
    // Only one-cell rows: the first is the header (the mapping will say which required columns are missing).
    header = leading.shift() ?? null;
    rows.push(...leading);
  }
  if (!header) throw new ImportFileError(`文件「${fileName}」里没有内容: 第一行应是表头, 例如 车牌号码、车牌颜色 …`);
  if (rows.length === 0) throw new ImportFileError(`文件「${fileName}」只有表头, 没有要导入的行`);
  onProgress?.(done, done);
  const headers = header.cells.map((c) => cellText(c).trim());
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  return { fileName, headers, headerRow: header.row, rows };
}
