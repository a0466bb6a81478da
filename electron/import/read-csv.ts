/**
 * A CSV file as managers keep one: UTF-8 with or without a byte-order mark, or GBK/GB18030 (what Excel saves as
 * "CSV (逗号分隔)" on a Chinese PC), told apart without asking; comma, semicolon or tab between cells. Every cell is
 * text: what it means is decided per field (cells.ts), so a plate or an order number never becomes a number here.
 */
import Papa from 'papaparse';
import { type CellValue, ImportFileError, type RawRow, type RawSheet, yieldToEventLoop } from './table.ts';

/**
 * The text of the file: a byte-order mark says the encoding (UTF-8, or UTF-16 as Excel's "Unicode 文本" saves);
 * without one, bytes that are valid UTF-8 are UTF-8 and anything else is GB18030, the superset of GBK and GB2312.
 */
export function decodeCsv(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not valid UTF-8, which is the answer sought: a Chinese PC's Excel saved it in GBK, read as GB18030.
      text = new TextDecoder('gb18030').decode(bytes);
    }
  }
  if (text.includes('\u0000')) {
    throw new ImportFileError(
      '这个文件不是文本格式的 CSV, 请在 Excel 中另存为 .xlsx 或 "CSV UTF-8 (逗号分隔)" 后再导入',
    );
  }
  return text;
}

const DELIMITERS = [',', '\t', ';'] as const;

/**
 * The delimiter: the one the first line that has any of them has most of (outside quotes), commas first on a tie.
 * That line is the header row or a title above it; data lines are not used, since amounts such as "1,200" may hold
 * commas inside quotes and free text anything.
 */
export function detectDelimiter(text: string): string {
  for (const line of text.split(/\r\n|\n|\r/, 50)) {
    const unquoted = line.replace(/"[^"]*"/g, '');
    const counts = DELIMITERS.map((d) => unquoted.split(d).length - 1);
    const best = Math.max(...counts);
    if (best > 0) return DELIMITERS[counts.indexOf(best)]!;
  }
  return ',';
}

/** Characters per piece parsed at once: some thousand rows, a few milliseconds. */
const PIECE_CHARS = 64 * 1024;

/**
 * The text cut into pieces that each end at the end of a record (a line break outside quotes: an even number of
 * quote marks before it, since a quote inside a quoted cell is written twice), each without its last line break.
 */
function* pieces(text: string): Generator<string> {
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) inQuotes = !inQuotes;
    else if (c === 0x0a && !inQuotes && i - start >= PIECE_CHARS) {
      yield text.slice(start, text[i - 1] === '\r' ? i - 1 : i);
      start = i + 1;
    }
  }
  if (start < text.length) yield text.slice(start).replace(/(?:\r\n|\n|\r)$/, '');
}

/**
 * A cell as written: blank as null, and `="00123"` (how many systems export a number that must stay text, and what
 * Excel shows as 00123) as its text.
 */
function csvCell(cell: string): CellValue {
  if (cell.trim() === '') return null;
  const forced = /^\s*="(.*)"\s*$/s.exec(cell);
  return forced ? forced[1]!.replace(/""/g, '"') : cell;
}

/** Excel's hint line `sep=;` (written by some exports): says the delimiter and is not a row of the sheet. */
const SEP_LINE = /^sep=(.)(?:\r\n|\n|\r)/i;

export function readCsv(bytes: Uint8Array): RawSheet {
  let text = decodeCsv(bytes);
  let delimiter: string;
  const sep = SEP_LINE.exec(text);
  if (sep) {
    delimiter = sep[1]!;
    text = text.slice(sep[0].length);
  } else {
    delimiter = detectDelimiter(text);
  }
  const newline = text.includes('\r\n') ? '\r\n' : text.includes('\n') ? '\n' : '\r';
  // Roughly: line breaks (a cell may hold one, this is for progress only).
  let expectedRows = 1;
  for (let at = text.indexOf(newline); at >= 0; at = text.indexOf(newline, at + newline.length)) expectedRows++;

  async function* rows(): AsyncGenerator<RawRow> {
    let row = 0;
    for (const piece of pieces(text)) {
      const parsed = Papa.parse<string[]>(piece, { delimiter, newline, skipEmptyLines: false });
      const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        const at = row + (quoteError.row ?? 0) + 1;
        throw new ImportFileError(`第 ${at} 行附近的引号没有配对, 无法读取: 请在 Excel 中打开文件、检查该行并重新保存`);
      }
      for (const record of parsed.data) {
        row += 1;
        const cells: CellValue[] = record.map(csvCell);
        yield { row, cells };
      }
      await yieldToEventLoop();
    }
  }
  return { expectedRows, rows: rows() };
}
