/**
 * An .xlsx workbook's sheet, read with exceljs's streaming reader so that a 20,000-row file never holds the main
 * process for long (its full loader builds the whole workbook in one go: close to a second without a break).
 *
 * The streaming reader takes the zip's parts in the order they are stored, and Excel stores the sheets before the
 * shared strings and styles the sheets refer to: the reader would then copy each sheet to a temporary file and lose
 * dates when styles come late. So the parts are handed to it in the order it needs (workbook, relationships, styles,
 * shared strings, then the one sheet to import, under the names it looks for), which the zip format allows: each part
 * is a self-contained record, and the reader does not use the zip's directory. The sheet imported is the one named
 * 续费 (the template's), else the first visible sheet.
 *
 * Some cells the streaming reader gets wrong are rewritten in the sheet before it reads them (plainCell): a formula's
 * result of 0, "" or FALSE (it keeps only results that are truthy), a formula's error code, rich inline text (it keeps
 * the last run only) and text it decodes twice. Phonetic guides are taken out of the shared strings.
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, deflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { serialToLocal, wallClockOf } from './cells.ts';
import { type CellValue, ImportFileError, type RawRow, type RawSheet, yieldToEventLoop } from './table.ts';

const RESAVE = '请在 Excel 中打开后另存为 .xlsx (Excel 工作簿) 再导入';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  offset: number;
  /** Where the entry's local record ends (the next record, or the central directory). */
  end: number;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

/** The zip's parts from its central directory, or null when it has none that can be read. */
function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(bytes, eocd + 10);
  const cdOffset = u32(bytes, eocd + 16);
  // Zip64 (parts over 4 GB or 65,535 parts): no spreadsheet a manager keeps.
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset > bytes.length) return null;
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== 0x02014b50) return null;
    const nameLength = u16(bytes, p + 28);
    entries.push({
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      method: u16(bytes, p + 10),
      compressedSize: u32(bytes, p + 20),
      offset: u32(bytes, p + 42),
      end: cdOffset,
    });
    p += 46 + nameLength + u16(bytes, p + 30) + u16(bytes, p + 32);
  }
  const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
  byOffset.forEach((e, i) => {
    e.end = byOffset[i + 1]?.offset ?? cdOffset;
  });
  return entries;
}

function dataStart(bytes: Uint8Array, e: ZipEntry): number {
  if (u32(bytes, e.offset) !== 0x04034b50) throw new ImportFileError(`这个 .xlsx 文件已损坏, ${RESAVE}`);
  return e.offset + 30 + u16(bytes, e.offset + 26) + u16(bytes, e.offset + 28);
}

/** A small part's bytes (workbook, relationships). */
function partBytes(bytes: Uint8Array, e: ZipEntry): Uint8Array {
  const start = dataStart(bytes, e);
  const data = bytes.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  if (e.method !== 8) throw new ImportFileError(`这个 .xlsx 文件用了不常见的压缩方式, ${RESAVE}`);
  return inflateRawSync(data);
}

const partText = (bytes: Uint8Array, e: ZipEntry) => new TextDecoder().decode(partBytes(bytes, e));

/** The part's local record (header, data, descriptor), under another name when the reader needs one. */
function localRecord(bytes: Uint8Array, e: ZipEntry, name: string): Uint8Array {
  const record = bytes.subarray(e.offset, e.end);
  if (name === e.name) return record;
  const nameBytes = new TextEncoder().encode(name);
  const oldLength = u16(bytes, e.offset + 26);
  const out = new Uint8Array(record.length - oldLength + nameBytes.length);
  out.set(record.subarray(0, 30));
  out[26] = nameBytes.length & 0xff;
  out[27] = nameBytes.length >> 8;
  out.set(nameBytes, 30);
  out.set(record.subarray(30 + oldLength), 30 + nameBytes.length);
  return out;
}

const inflateRawAsync = promisify(inflateRaw);
const deflateRawAsync = promisify(deflateRaw);

/** A whole part, inflated off the main thread (a big sheet takes a while). */
async function partBytesAsync(bytes: Uint8Array, e: ZipEntry): Promise<Uint8Array> {
  const start = dataStart(bytes, e);
  const data = bytes.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  if (e.method !== 8) throw new ImportFileError(`这个 .xlsx 文件用了不常见的压缩方式, ${RESAVE}`);
  return inflateRawAsync(data);
}

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Bytes searched between two turns of the event loop (a few milliseconds). */
const SCAN_SLICE = 512 * 1024;

/** Whether any of the (ASCII) needles is in the bytes; searched a slice at a time, so a big sheet holds nothing up. */
async function containsAny(bytes: Buffer, needles: string[]): Promise<boolean> {
  const overlap = Math.max(...needles.map((n) => n.length)) - 1;
  for (let at = 0; at < bytes.length; at += SCAN_SLICE) {
    const slice = bytes.subarray(Math.max(0, at - overlap), at + SCAN_SLICE);
    if (needles.some((n) => slice.includes(n))) return true;
    await yieldToEventLoop();
  }
  return false;
}

/**
 * A part rewritten here, as a local record: compressed (off the main thread) when it is big, since the reader's unzip
 * copies a stored part's bytes over and over as they arrive (seconds for a sheet of several megabytes).
 */
async function newRecord(name: string, data: Uint8Array): Promise<Uint8Array> {
  const packed = data.length > 64 * 1024 ? await deflateRawAsync(data, { level: 1 }) : null;
  const body = packed ?? data;
  const nameBytes = new TextEncoder().encode(name);
  const out = new Uint8Array(30 + nameBytes.length + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(6, 0x0800, true);
  v.setUint16(8, packed ? 8 : 0, true);
  v.setUint32(14, crc32(data), true);
  v.setUint32(18, body.length, true);
  v.setUint32(22, data.length, true);
  v.setUint16(26, nameBytes.length, true);
  out.set(nameBytes, 30);
  out.set(body, 30 + nameBytes.length);
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const xmlText = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e] ?? all;
  });

/** Attributes of each `<tag …>` (any namespace prefix), local names as keys (r:id → id). */
function elements(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<(?:[\\w.-]+:)?${tag}\\b([^>]*)>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs[a[1]!.replace(/^[\w.-]+:/, '')] = xmlText(a[2] ?? a[3] ?? '');
    }
    out.push(attrs);
  }
  return out;
}

/** A relationship's target as a path in the zip (targets are relative to xl/, or absolute). */
const partPath = (target: string) =>
  (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/');

/**
 * Text the reader decodes twice (saxes, then its own xmlDecode for inline strings and formula text) written so that
 * it comes out as `text`: `&` doubled once for the second decoding, then escaped for XML.
 */
function forReader(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The text of an inline string's runs, phonetic guides left out. */
function inlineText(inner: string): string {
  const body = inner.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  return [...body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => xmlText(m[1] ?? '')).join('');
}

/** A cell: self-closing (nothing to do) or with its content. */
const CELL = /<c\b[^>]*?\/>|<c\b([^>]*)>([\s\S]*?)<\/c>/g;

/**
 * One cell as the streaming reader reads it right: inline text as one run; a formula as its stored result (text,
 * number, TRUE/FALSE or error code; the reader then reads a date cell's number as a date); a formula without a stored
 * result as the text `=formula`, for the row to name (cells.ts).
 */
function plainCell(all: string, attrs: string | undefined, inner: string | undefined): string {
  if (attrs === undefined || inner === undefined) return all;
  const type = /\bt="([^"]*)"/.exec(attrs)?.[1];
  if (type === 'inlineStr' || inner.includes('<is'))
    return `<c${attrs}><is><t>${forReader(inlineText(inner))}</t></is></c>`;
  if (!/<f[\s>/]/.test(inner)) return all;
  const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>|<v\s*\/>/.exec(inner);
  if (v) return `<c${attrs}><v>${type === 'str' ? forReader(xmlText(v[1] ?? '')) : (v[1] ?? '')}</v></c>`;
  const formula = xmlText(/<f\b[^>]*>([\s\S]*?)<\/f>/.exec(inner)?.[1] ?? '');
  const untyped = attrs.replace(/\s+t="[^"]*"/, '');
  return `<c${untyped} t="inlineStr"><is><t>${forReader(`=${formula || '(公式)'}`)}</t></is></c>`;
}

/** Characters of sheet XML rewritten between two turns of the event loop. */
const XML_SLICE = 256 * 1024;

/** The sheet with its cells rewritten (plainCell), a slice of whole rows at a time. */
async function plainSheet(xml: string): Promise<string> {
  const out: string[] = [];
  for (let pos = 0; pos < xml.length; ) {
    const close = xml.indexOf('</row>', pos + XML_SLICE);
    const end = close < 0 ? xml.length : close + '</row>'.length;
    out.push(xml.slice(pos, end).replace(CELL, plainCell));
    pos = end;
    await yieldToEventLoop();
  }
  return out.join('');
}

/**
 * The reader turns each piece of a part into text on its own (exceljs parse-sax: bufferToString per chunk), so a
 * character whose UTF-8 bytes fall across two pieces comes out as two broken ones (川U01289 read as ���U01289, and
 * a name or a charge type changed without a word). A part handed to it is therefore ASCII only: every other
 * character written as its character reference, which the XML parser turns back into the character itself.
 */
function asciiXml(xml: string): string {
  return xml.replace(/[\u0080-\u{10FFFF}]/gu, (ch) => `&#x${ch.codePointAt(0)!.toString(16)};`);
}

/** Whether any byte is outside ASCII (the part needs asciiXml). */
function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/**
 * The shared strings part, without phonetic guides (拼音指南, furigana: <rPh> runs) when it has any: the streaming
 * reader would take a guide's text for the cell's (东京 would read as its pinyin).
 */
async function sharedStringsRecord(bytes: Uint8Array, e: ZipEntry): Promise<Uint8Array> {
  const name = 'xl/sharedStrings.xml';
  const whole = asBuffer(await partBytesAsync(bytes, e));
  const guides = await containsAny(whole, ['<rPh']);
  if (!guides && !hasNonAscii(whole)) return localRecord(bytes, e, name);
  let xml = new TextDecoder().decode(whole);
  if (guides) xml = xml.replace(/<rPh\b[^>]*>[\s\S]*?<\/rPh>/g, '');
  return newRecord(name, new TextEncoder().encode(asciiXml(xml)));
}

/** The name the reader looks for a sheet under. */
const SHEET = 'xl/worksheets/sheet1.xml';
const NO_STRINGS = new TextEncoder().encode(
  '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

interface Plan {
  sheetName: string;
  date1904: boolean;
  /** The reordered parts, as the streaming reader wants them. */
  zip: Uint8Array;
  expectedRows: number;
}

async function planOf(bytes: Uint8Array): Promise<Plan> {
  const entries = zipEntries(bytes);
  if (!entries) throw new ImportFileError(`这个文件不是有效的 .xlsx 文件 (可能已损坏), ${RESAVE}`);
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) {
    const ods = byName.has('content.xml') || byName.has('mimetype');
    throw new ImportFileError(
      ods
        ? `这是 WPS/LibreOffice 的 .ods 表格, 请另存为 .xlsx (Excel 工作簿) 再导入`
        : `这个文件不是 Excel 工作簿 (.xlsx), ${RESAVE}`,
    );
  }
  const workbookXml = partText(bytes, workbook);
  const relations = elements(partText(bytes, rels), 'Relationship');
  const typed = (type: string) => relations.filter((r) => (r.Type ?? '').endsWith(`/${type}`));
  const worksheetIds = new Set(typed('worksheet').map((r) => r.Id));
  const sheets = elements(workbookXml, 'sheet').filter((s) => worksheetIds.has(s.id));
  const visible = sheets.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden');
  const chosen = sheets.find((s) => s.name?.trim() === '续费') ?? visible[0] ?? sheets[0];
  if (!chosen) throw new ImportFileError('这个 Excel 文件里没有工作表');
  const target = relations.find((r) => r.Id === chosen.id)?.Target ?? '';
  const sheet = byName.get(partPath(target).toLowerCase());
  if (!sheet) throw new ImportFileError(`Excel 文件中找不到工作表「${chosen.name ?? ''}」的内容, ${RESAVE}`);
  const pr = elements(workbookXml, 'workbookPr')[0];
  const date1904 = pr?.date1904 === '1' || pr?.date1904 === 'true';

  const sheetBytes = asBuffer(await partBytesAsync(bytes, sheet));
  const head = sheetBytes.subarray(0, 16 * 1024).toString('utf8');
  // Parts written with a namespace prefix (<x:row>, some .NET exports): the streaming reader would see no rows at all.
  if (/<[\w.-]+:(?:sheetData|row)\b/.test(head)) throw new ImportFileError(`这个 .xlsx 文件的写法不常见, ${RESAVE}`);
  const dimension = /<(?:[\w.-]+:)?dimension\b[^>]*\bref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(head);
  // The search runs on bytes: a sheet Excel saved without formulas is handed on as it is.
  const rewrite = await containsAny(sheetBytes, ['<f>', '<f ', 'inlineStr']);
  const sheetRecord =
    rewrite || hasNonAscii(sheetBytes)
      ? await newRecord(
          SHEET,
          new TextEncoder().encode(
            asciiXml(
              rewrite ? await plainSheet(new TextDecoder().decode(sheetBytes)) : new TextDecoder().decode(sheetBytes),
            ),
          ),
        )
      : localRecord(bytes, sheet, SHEET);

  const records: Uint8Array[] = [localRecord(bytes, workbook, 'xl/workbook.xml')];
  records.push(localRecord(bytes, rels, 'xl/_rels/workbook.xml.rels'));
  const first = (type: string) => byName.get(partPath(typed(type)[0]?.Target ?? '').toLowerCase());
  const styles = first('styles') ?? byName.get('xl/styles.xml');
  if (styles) records.push(localRecord(bytes, styles, 'xl/styles.xml'));
  const strings = first('sharedStrings') ?? byName.get('xl/sharedstrings.xml');
  // Without a shared strings part (a sheet of numbers, or of inline strings) the reader would wait for one, copying
  // the sheet to a temporary file meanwhile: an empty one is given instead.
  records.push(
    strings ? await sharedStringsRecord(bytes, strings) : await newRecord('xl/sharedStrings.xml', NO_STRINGS),
  );
  records.push(sheetRecord);
  // An empty end record closes the parts: the reader stops there instead of running off the end of the data.
  const end = new Uint8Array(22);
  end.set([0x50, 0x4b, 0x05, 0x06]);
  const zip = Buffer.concat([...records, end]);
  return { sheetName: chosen.name ?? '', date1904, zip, expectedRows: dimension ? Number(dimension[1]) : 0 };
}

/** Excel's own escape for characters XML cannot hold (_x000D_ is a carriage return). */
const unescapeText = (s: string) =>
  s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** A number format that shows a date or time (what exceljs's own check looks for, quoted and bracketed text aside). */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format
    .replace(/\[[^\]]*]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** An exceljs cell value as a plain value: rich text joined, formulas as their result, hyperlinks as their text. */
function plain(value: unknown, numFmt: string | undefined, date1904: boolean): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const text = unescapeText(value);
    return text.trim() === '' ? null : text;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : '#NUM!';
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { date: wallClockOf(value) };
  if (typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) {
    return plain((v.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join(''), numFmt, date1904);
  }
  if ('formula' in v || 'sharedFormula' in v) {
    // Formulas are rewritten as their results before the reader sees them (plainCell); this is the reader's own
    // form, should one come through all the same.
    const result = v.result;
    if (result === undefined || result === null) return `=${String(v.formula ?? v.sharedFormula ?? '')}`;
    if (typeof result === 'number' && isDateFormat(numFmt)) {
      const at = serialToLocal(result, date1904);
      if (at) return { date: at };
    }
    return plain(result, undefined, date1904);
  }
  if (typeof v.error === 'string') return v.error;
  if ('text' in v) return plain(v.text, numFmt, date1904);
  if ('sharedString' in v) throw new ImportFileError(`这个 .xlsx 文件缺少共享文字部分 (可能已损坏), ${RESAVE}`);
  return null;
}

interface StreamedCell {
  value: unknown;
  numFmt?: string;
}
interface StreamedRow {
  number: number;
  eachCell(options: { includeEmpty: boolean }, callback: (cell: StreamedCell, column: number) => void): void;
}

/**
 * The bytes in pieces of the size a file stream gives: the reader's unzip copies what it holds each time a piece
 * arrives, and parses an uncompressed part a piece at a time.
 */
function* pieces(bytes: Uint8Array, size = 64 * 1024): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** The sheet's rows as they come off the stream (blank ones included where the file has them). */
export async function readXlsx(bytes: Uint8Array): Promise<RawSheet & { sheetName: string }> {
  let plan: Plan;
  try {
    plan = await planOf(bytes);
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    // A broken zip or XML (zlib and entity errors): the manager's way out is the same as for any unreadable file.
    throw new ImportFileError(`这个 .xlsx 文件已损坏或无法识别, ${RESAVE}`, { cause: e });
  }
  async function* rows(): AsyncGenerator<RawRow> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(pieces(plan.zip)), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    try {
      for await (const worksheet of reader) {
        for await (const r of worksheet as AsyncIterable<StreamedRow>) {
          // Rows and cells without their numbers (allowed, rarely written) make the reader fail: see the catch.
          const row = r.number;
          const cells: CellValue[] = [];
          r.eachCell({ includeEmpty: false }, (cell, column) => {
            cells[column - 1] = plain(cell.value, cell.numFmt, plan.date1904);
          });
          for (let i = 0; i < cells.length; i++) cells[i] ??= null;
          yield { row, cells };
        }
      }
    } catch (e) {
      if (e instanceof ImportFileError) throw e;
      throw new ImportFileError(`无法读取这个 .xlsx 文件的内容, ${RESAVE}`, { cause: e });
    }
  }
  return { sheetName: plan.sheetName, expectedRows: plan.expectedRows, rows: rows() };
}
