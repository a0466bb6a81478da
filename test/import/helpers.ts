/** Fixtures for the import tests: spreadsheets made here, byte for byte, instead of files kept beside the tests. */
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';

/**
 * A zip of `files` in the order given, stored (not compressed): a hand-written workbook can then put its parts
 * where Excel puts them (sheets before shared strings and styles) or anywhere else.
 */
export function zip(files: [string, string | Uint8Array][]): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    const data = typeof content === 'string' ? enc.encode(content) : content;
    const nameBytes = enc.encode(name);
    const crc = crc32(data);
    const local = new Uint8Array(30 + nameBytes.length + data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x0800, true); // UTF-8 names
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    local.set(data, 30 + nameBytes.length);
    const central = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return Buffer.concat([...locals, ...centrals, eocd]);
}

/** Text as GBK bytes, what Excel on a Chinese PC saves a CSV in (test/support/gbk.ts). */
export { encodeGbk as gbk } from '../support/gbk.ts';

export const utf8 = (text: string) => new TextEncoder().encode(text);
export const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
export const withBom = (text: string) => new Uint8Array([...BOM, ...utf8(text)]);

/** A wall clock as exceljs writes it (a Date whose UTC fields are the wall clock). */
export const wall = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) =>
  new Date(Date.UTC(y, m - 1, d, h, mi, s));

/** An .xlsx of one sheet made with exceljs: rows as given (the first is the header), formats per column (1-based). */
export async function xlsxOf(
  rows: unknown[][],
  options: { sheet?: string; formats?: Record<number, string>; extraSheets?: string[] } = {},
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const name of options.extraSheets ?? []) wb.addWorksheet(name).addRow(['别的表', '不导入']);
  const ws = wb.addWorksheet(options.sheet ?? 'Sheet1');
  for (const r of rows) ws.addRow(r);
  for (const [col, fmt] of Object.entries(options.formats ?? {})) ws.getColumn(Number(col)).numFmt = fmt;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export { TEMPLATE_HEADERS } from '../support/vip-sheets.ts';

export const ZONE = 'Asia/Shanghai';
