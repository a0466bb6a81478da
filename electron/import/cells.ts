/**
 * One spreadsheet cell read as what the person meant, for each kind of renewal field. A cell may come as text (every
 * CSV cell, and what Excel stores as text), as a number, or as an Excel date (its wall-clock reading): each reader
 * takes them all and gives the field's value, nothing for a blank cell, or one Chinese sentence naming the column.
 * Amounts are worked out on their decimal text, never with floating-point arithmetic.
 */
import { type EnumOption, PLATE_COLORS, VIP_PAY_TYPES, VIP_TYPES } from '../../shared/records/enums.ts';
import { yuanToFen } from '../../shared/records/money.ts';
import { checkPlate } from '../../shared/records/plate.ts';
import { VALUE_MEANING } from '../../shared/records/renewal.ts';
import { parseLocal } from '../../shared/records/time.ts';
import type { CellValue, LocalDateTime } from './table.ts';

/** A cell's value for a field (undefined: the cell is blank), or why it cannot be read. */
export type Read<T> = { value: T | undefined; problem?: undefined } | { value?: undefined; problem: string };

const ok = <T>(value: T | undefined): Read<T> => ({ value });
const fail = (problem: string): Read<never> => ({ problem });
const BLANK: Read<never> = { value: undefined };

export function isBlankCell(cell: CellValue | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function formatDay(d: Pick<LocalDateTime, 'year' | 'month' | 'day'>): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

function formatDateTime(d: LocalDateTime): string {
  return `${formatDay(d)} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}`;
}

/** The cell as a person would read it: headers, messages and the bad-rows file's reasons. */
export function cellText(cell: CellValue | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  const d = cell.date;
  return d.hour || d.minute || d.second ? formatDateTime(d) : formatDay(d);
}

/** How a cell is named in a message: its text in 「」, or what kind of cell it is. */
function shown(cell: CellValue): string {
  if (typeof cell === 'number') return `数字 ${String(cell)}`;
  if (typeof cell === 'boolean') return `逻辑值 ${cell ? 'TRUE' : 'FALSE'}`;
  if (cell !== null && typeof cell === 'object') return `日期 ${cellText(cell)}`;
  return `「${cellText(cell)}」`;
}

/** Full-width digits, letters, ￥ and parentheses as their ASCII forms; edges trimmed. */
const fold = (text: string) => text.normalize('NFKC').trim();

/** Excel's error values: a formula that failed. */
const EXCEL_ERROR = /^#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|BUSY!)$/;

/**
 * Why a text cell is not a value at all: an Excel error, or a formula the file keeps without its result (read-xlsx.ts
 * gives such a cell as `=` and the formula; files written by programs often have no results stored).
 */
function formulaProblem(text: string, label: string): string | null {
  if (EXCEL_ERROR.test(text)) return `${label}是公式错误 ${text}, 请在 Excel 中改正公式或直接填写`;
  if (text.length > 1 && text.startsWith('=')) {
    return `${label}是公式 ${text}, 但文件里没有计算结果: 请在 Excel 中打开文件并保存后再导入`;
  }
  return null;
}

/** A text cell trimmed and read by `text`, blank as no value, errors refused; null for cells that are not text. */
function readString<T>(cell: CellValue | undefined, label: string, text: (t: string) => Read<T>): Read<T> | null {
  if (cell === null || cell === undefined) return BLANK;
  if (typeof cell !== 'string') return null;
  const t = cell.trim();
  if (t === '') return BLANK;
  const problem = formulaProblem(t, label);
  return problem ? fail(problem) : text(t);
}

/** Free text (收费类型, 操作员): a whole number is its digits, any number its shortest decimal text. */
export function readText(cell: CellValue | undefined, label: string): Read<string> {
  const s = readString(cell, label, (t) => ok(t));
  if (s) return s;
  if (typeof cell === 'number') {
    const t = String(cell);
    if (Number.isFinite(cell) && !/e/i.test(t)) return ok(t);
    return fail(`${label}须为文字, 表中为${shown(cell!)}: 请把该列设为文本格式后重新填写`);
  }
  return fail(`${label}须为文字, 表中为${shown(cell!)}`);
}

/** How Excel shows a long number it has kept only 15 digits of: 2.02611E+19. */
const SCIENTIFIC = /^\d+(?:\.\d+)?E\+\d+$/i;
/** Excel keeps 15 significant digits: a longer number typed into a cell has already lost its last digits. */
const EXCEL_DIGITS = 15;

/** An order or card number: text, or a whole number Excel kept every digit of. */
export function readKey(cell: CellValue | undefined, label: string): Read<string> {
  const lost = `超过 ${EXCEL_DIGITS} 位的编号在 Excel 中会丢失末尾数字: 请把该列设为文本格式, 重新填写编号后再导入`;
  const s = readString(cell, label, (t) =>
    SCIENTIFIC.test(fold(t)) ? fail(`${label}显示为科学计数法「${t}」, ${lost}`) : ok(t),
  );
  if (s) return s;
  if (typeof cell === 'number') {
    if (Number.isSafeInteger(cell) && cell >= 0 && String(cell).length <= EXCEL_DIGITS) return ok(String(cell));
    if (Number.isInteger(cell) && cell >= 0) return fail(`${label}是数字 ${String(cell)}, ${lost}`);
    return fail(`${label}须为文字编号, 表中为${shown(cell)}`);
  }
  return fail(`${label}须为文字编号, 表中为${shown(cell!)}`);
}

/** A plate: text only (a number is never a plate); normalised as the form does when it is a real plate. */
export function readPlate(cell: CellValue | undefined, label: string): Read<string> {
  const s = readString(cell, label, (t) => {
    const check = checkPlate(t);
    // A plate that fails the rules is kept as written: renewalProblems names what is wrong with it.
    return ok(check.ok ? check.plate : t);
  });
  if (s) return s;
  return fail(`${label}须为文字, 例如 粤B12345, 表中为${shown(cell!)}`);
}

/** An enumeration a column may be written in: the platform's codes, the labels, and what people also write. */
export interface EnumKind {
  options: readonly EnumOption[];
  /** Other names for a code, as people write them. */
  aliases: Record<string, readonly string[]>;
}

export const PLATE_COLOR_KIND: EnumKind = {
  options: PLATE_COLORS,
  aliases: {
    '1': ['蓝', '蓝牌'],
    '2': ['黄', '黄牌'],
    '3': ['白', '白牌'],
    '4': ['黑', '黑牌'],
    '5': ['绿', '绿牌', '新能源'],
    '-1': ['其他'],
  },
};

export const VIP_TYPE_KIND: EnumKind = {
  options: VIP_TYPES,
  aliases: {
    '1': ['包月', '月租'],
    '2': ['储值卡'],
    '3': ['储次卡', '次卡'],
    '4': ['储天卡', '天卡'],
    '5': ['包年'],
    '6': ['季卡'],
    '7': ['半年'],
    '0': ['免费停车', '免费', '免费卡', '白名单'],
  },
};

export const PAY_TYPE_KIND: EnumKind = {
  options: VIP_PAY_TYPES,
  aliases: {
    '1': ['现金'],
    '2': ['在线', '线上', '线上支付', '微信', '微信支付', '支付宝', '支付宝支付'],
  },
};

/** Case, width and spaces do not matter: 免费停车（白名单） is 免费停车(白名单). */
const enumKey = (text: string) => fold(text).replace(/\s+/g, '').toLowerCase();

const lookups = new WeakMap<EnumKind, Map<string, string>>();
function lookupOf(kind: EnumKind): Map<string, string> {
  let map = lookups.get(kind);
  if (!map) {
    map = new Map();
    for (const o of kind.options) {
      map.set(o.value, o.value);
      map.set(enumKey(o.label), o.value);
      for (const alias of kind.aliases[o.value] ?? []) map.set(enumKey(alias), o.value);
    }
    lookups.set(kind, map);
  }
  return map;
}

/** What an enumeration column takes, for messages and the template: `1 蓝色 (蓝, 蓝牌), 2 黄色 …`. */
export function enumChoices(kind: EnumKind): string {
  return kind.options
    .map((o) => {
      const aliases = kind.aliases[o.value] ?? [];
      return aliases.length > 0 ? `${o.value} ${o.label} (${aliases.join(', ')})` : `${o.value} ${o.label}`;
    })
    .join(', ');
}

/** A code or a name of the enumeration: the code. */
export function readEnum(cell: CellValue | undefined, kind: EnumKind, label: string): Read<string> {
  let key: string | null = null;
  if (typeof cell === 'number') key = String(cell);
  else if (typeof cell === 'string' || cell === null || cell === undefined) {
    const s = readString(cell, label, (t) => ok(t))!;
    if (s.problem !== undefined || s.value === undefined) return s;
    const f = fold(s.value);
    // 01 is the code 1, as a number cell would have it.
    key = /^[+-]?\d+$/.test(f) ? String(Number(f)) : enumKey(f);
  }
  const code = key === null ? undefined : lookupOf(kind).get(key);
  if (code !== undefined) return ok(code);
  return fail(`${label}「${cellText(cell)}」无法识别, 可填代码或名称: ${enumChoices(kind)}`);
}

/** A whole number of units (续费数量). */
export function readCount(cell: CellValue | undefined, label: string): Read<number> {
  const whole = (n: number, written: string): Read<number> => {
    if (n < 0) return fail(`${label}不能为负数, 表中为 ${written}`);
    if (!Number.isInteger(n)) return fail(`${label}须为整数, 表中为 ${written}`);
    return ok(n);
  };
  if (typeof cell === 'number') return Number.isFinite(cell) ? whole(cell, String(cell)) : fail(`${label}须为整数`);
  const s = readString(cell, label, (t) => {
    const f = fold(t);
    // 1.0 is 1: what Excel writes for a whole number in a number format with decimals.
    const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(f);
    if (!m) return fail(`${label}须为整数, 例如 1, 表中为「${t}」`);
    if (m[1] === '-' && /[1-9]/.test(f)) return fail(`${label}不能为负数, 表中为「${t}」`);
    if (m[3] && /[1-9]/.test(m[3])) return fail(`${label}须为整数, 表中为「${t}」`);
    return m[2]!.length > 9 ? fail(`${label}过大, 表中为「${t}」`) : ok(Number(m[2]));
  });
  return s ?? fail(`${label}须为整数, 表中为${shown(cell!)}`);
}

/**
 * The decimal text a number cell stands for. Excel works to 15 significant digits, so a formula's 0.30000000000000004
 * is 0.3 there and here; a number typed as 19.99 is the double nearest 19.99, whose shortest text is "19.99".
 */
function numberText(n: number): string {
  const shortest = String(n);
  if (!/e/i.test(shortest) && !/\.\d{3,}$/.test(shortest)) return shortest;
  const excel = String(Number(n.toPrecision(EXCEL_DIGITS)));
  return /e/i.test(excel) ? shortest : excel;
}

/** Yuan as people write them (¥1,200.00, ￥1,200.00, 1,200, 1200元, RMB 12.5) → fen; never negative. */
function yuanTextToFen(written: string, label: string): Read<number> {
  let t = fold(written).replace(/\s+/g, '');
  const negative = () => fail(`${label}不能为负数, 表中为「${written}」`);
  if (/^[-−]/.test(t)) return negative();
  t = t.replace(/^(?:¥|RMB|CNY|人民币)/i, '').replace(/元$/, '');
  // -¥5 and ¥-5 alike, and (5) as accountants write a negative amount.
  if (/^[-−]|^\(.*\)$/.test(t)) return negative();
  if (t.includes(',')) {
    // Thousands separators only where they belong: 1,200.50 yes, 1,2 (a decimal comma?) no.
    if (!/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(t)) {
      return fail(`${label}「${written}」的千位分隔符位置不对, 请写成 1200.50 或 1,200.50`);
    }
    t = t.replace(/,/g, '');
  }
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return fail(`${label}须为金额(元), 例如 120.50, 表中为「${written}」`);
  if ((m[2] ?? '').length > 2) return fail(`${label}最多两位小数(到分), 表中为「${written}」`);
  const fen = yuanToFen(`${m[1]}${m[2] ? `.${m[2]}` : ''}`);
  if (fen === null) return fail(`${label}金额过大, 表中为「${written}」`);
  return ok(fen);
}

/** An amount in yuan (支付金额(元), a 储值 面额) → fen. */
export function readYuan(cell: CellValue | undefined, label: string): Read<number> {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail(`${label}须为金额(元)`);
    if (cell < 0 || Object.is(cell, -0)) return fail(`${label}不能为负数, 表中为 ${String(cell)}`);
    return yuanTextToFen(numberText(cell), label);
  }
  const s = readString(cell, label, (t) => yuanTextToFen(t, label));
  return s ?? fail(`${label}须为金额(元), 例如 120.50, 表中为${shown(cell!)}`);
}

/**
 * 面额 by the card's type (VALUE_MEANING): money in yuan for 储值 (sent as fen text), a whole number of uses or days
 * for the others (a trailing 次 or 天 is allowed), nothing for 免费停车.
 */
export function readFaceValue(cell: CellValue | undefined, vipType: string, label: string): Read<string> {
  const meaning = VALUE_MEANING[vipType];
  if (!meaning) return isBlankCell(cell) ? BLANK : fail(`${label}: 固定车类型不明, 无法读取面额`);
  if (meaning.unit === 'fen') {
    const fen = readYuan(cell, label);
    return fen.problem !== undefined ? fen : ok(fen.value === undefined ? undefined : String(fen.value));
  }
  if (meaning.unit === null) {
    return isBlankCell(cell) ? BLANK : fail(`${label}: 免费停车(白名单)不用填写面额, 请留空`);
  }
  const unit = meaning.unit === 'count' ? '次' : '天';
  if (typeof cell === 'string') {
    // 30天 / 10次: the unit this type counts in may be written after the number.
    const f = fold(cell).replace(/\s+/g, '');
    if (f.endsWith(unit)) cell = f.slice(0, -1);
  }
  const n = readCount(cell, label);
  if (n.problem !== undefined) return fail(`${n.problem} (${meaning.label}, 整数${unit})`);
  return ok(n.value === undefined ? undefined : String(n.value));
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and times

const DAY_MS = 86_400_000;

/** The wall clock an Excel serial day number stands for (1900 system, or 1904 when the workbook says so). */
export function serialToLocal(serial: number, date1904 = false): LocalDateTime | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  // To the second, as Excel shows it: 08:30 is stored as 0.3541666…, which is not exactly 8.5 hours.
  const seconds = Math.round(serial * 86_400);
  const days = Math.floor(seconds / 86_400);
  const rest = seconds - days * 86_400;
  let base: number;
  if (date1904) base = Date.UTC(1904, 0, 1);
  // Excel counts a 29 February 1900 that never was (day 60): from day 61 on, day 0 is 30 December 1899.
  else if (days >= 61) base = Date.UTC(1899, 11, 30);
  else if (days >= 1 && days < 60) base = Date.UTC(1899, 11, 31);
  else return null;
  return utcFields(new Date(base + days * DAY_MS + rest * 1000));
}

/**
 * A JS Date whose UTC fields are a wall clock (what exceljs makes of a date cell) as that wall clock: read with the
 * UTC getters, never in the PC's zone, to the nearest second (a stored 08:30 may come as 08:29:59.999).
 */
export function wallClockOf(date: Date): LocalDateTime {
  return utcFields(new Date(Math.round(date.getTime() / 1000) * 1000));
}

/** A Date's UTC fields, read as a wall clock in no zone. */
function utcFields(d: Date): LocalDateTime {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Serial day numbers this console takes for a date: 1990 to 2100 (others are amounts or typing slips). */
const SERIAL_MIN = 32_874;
const SERIAL_MAX = 73_415;

function realDateTime(p: LocalDateTime): boolean {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.hour > 23 || p.minute > 59 || p.second > 59) return false;
  const last = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return p.day <= last;
}

/**
 * 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日, 20261201, each with an optional time: 8:30, 08:30:00, T08:30:00
 * (20261201083000 compact).
 */
const DATE_PART = String.raw`(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?`;
const TIME_PART = String.raw`(?:(?:\s+|T|(?<=日))(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d{1,3})?)?)?`;
const DATE_TEXT = new RegExp(`^${DATE_PART}${TIME_PART}$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/;

type DateParse = { at: LocalDateTime } | { problem: string } | { epochMs: number };

function parseDateText(written: string, label: string, example: string): DateParse {
  const t = fold(written).replace(/\s*([-/.:年月日T])\s*/g, '$1');
  if (/^\d{13}$/.test(t)) return { epochMs: Number(t) };
  if (/^\d{10}$/.test(t)) return { problem: `${label}「${written}」像是秒级时间戳, 请写成 ${example}` };
  const m = DATE_TEXT.exec(t) ?? COMPACT.exec(t);
  if (!m) return { problem: `${label}「${written}」不是日期, 请写成 ${example}` };
  const at: LocalDateTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  if (!realDateTime(at)) return { problem: `${label}「${written}」不是有效的日期或时间` };
  return { at };
}

/** A number cell in a date column: yyyymmdd, epoch milliseconds (13 digits), or an Excel serial day. */
function parseDateNumber(n: number, label: string, example: string): DateParse {
  const text = String(n);
  if (Number.isInteger(n) && /^\d{8}$/.test(text)) return parseDateText(text, label, example);
  if (Number.isInteger(n) && /^\d{13}$/.test(text)) return { epochMs: n };
  if (n >= SERIAL_MIN && n <= SERIAL_MAX) {
    const at = serialToLocal(n);
    if (at) return { at };
  }
  return { problem: `${label}是数字 ${text}, 不是日期: 请写成 ${example}` };
}

function parseDateCell(cell: CellValue | undefined, label: string, example: string): DateParse | null {
  if (isBlankCell(cell)) return null;
  if (typeof cell === 'number') return parseDateNumber(cell, label, example);
  if (typeof cell === 'boolean') return { problem: `${label}须为日期, 表中为${shown(cell)}` };
  if (typeof cell === 'object' && cell !== null) return { at: cell.date };
  const t = (cell as string).trim();
  const problem = formulaProblem(t, label);
  return problem ? { problem } : parseDateText(t, label, example);
}

/**
 * A local day (开始日期, 结束日期) as YYYY-MM-DD. A time of day is allowed only where it says the same day: 00:00 or
 * 23:59(:59), as a day's start and end are often written.
 */
export function readDay(cell: CellValue | undefined, label: string): Read<string> {
  const p = parseDateCell(cell, label, '2026-12-01');
  if (p === null) return BLANK;
  if ('problem' in p) return fail(p.problem);
  if ('epochMs' in p) return fail(`${label}只填日期, 例如 2026-12-01, 不填时间戳`);
  const { hour, minute, second } = p.at;
  const midnight = hour === 0 && minute === 0 && second === 0;
  const dayEnd = hour === 23 && minute === 59 && (second === 0 || second === 59);
  if (!midnight && !dayEnd) return fail(`${label}只填日期, 例如 2026-12-01, 表中为 ${formatDateTime(p.at)}`);
  return ok(formatDay(p.at));
}

/** A local date and time (支付时间) in the car park's zone → epoch milliseconds; or 13-digit epoch milliseconds. */
export function readDateTime(cell: CellValue | undefined, zone: string, label: string): Read<number> {
  const p = parseDateCell(cell, label, '2026-12-01 08:30');
  if (p === null) return BLANK;
  if ('problem' in p) return fail(p.problem);
  if ('epochMs' in p) return ok(p.epochMs);
  const t = parseLocal(formatDateTime(p.at), zone);
  if (t === null) return fail(`${label} ${formatDateTime(p.at)} 在车场所在时区不存在 (夏令时跳过的时刻)`);
  return ok(t);
}
