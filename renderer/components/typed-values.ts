/**
 * What people type into the generic inputs, read exactly: plates in two boxes (PlateInput), yuan into fen
 * (YuanInput), calendar days of the car park (LocalDayInput). Plain functions, so that forms check their texts the
 * same way the inputs show them.
 */
import { yuanToFen } from '../../shared/records/money.ts';
import { formatLocal } from '../../shared/records/time.ts';

/** The plate the two boxes make: typed with its province (粤B12345) it is taken as typed. */
export function joinPlate(province: string, text: string): string {
  const t = text.trim();
  return /^[\u4e00-\u9fff]/.test(t) ? t : `${province}${t}`;
}

const fullWidthDigits = (s: string) =>
  s.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** 1,200 or 1,234,567.50: commas only between groups of three digits. */
const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/**
 * Full-width digits, points and commas (中文输入法) as ASCII, spaces dropped, and thousands separators dropped where
 * they stand between groups of three: 19,99 is not 1999 元 (it stays unreadable and the field says so).
 */
export function normaliseYuan(text: string): string {
  const t = fullWidthDigits(text)
    .replace(/[\u3002\uff0e]/g, '.')
    .replace(/\uff0c/g, ',')
    .replace(/\s/g, '');
  return THOUSANDS.test(t) ? t.replace(/,/g, '') : t;
}

/**
 * What a yuan box keeps of each keystroke: digits, points and commas (after normaliseYuan). A comma that is no
 * thousands separator stays, so that 19,99 is shown as typed and refused, never turned into 1999 元.
 */
export function yuanTyping(text: string): string {
  return normaliseYuan(text).replace(/[^\d.,]/g, '');
}

/** Fen, or null when the text is not an amount in yuan (at most two decimals): 19.99 is 1999, exactly. */
export function yuanTextToFen(text: string): number | null {
  return yuanToFen(normaliseYuan(text));
}

export const YUAN_HINT = '金额以元为单位, 最多两位小数, 如 300 或 19.99';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
export const DAY_HINT = '如 2026-12-01、2026/12/1 或 12-01';

function realDay(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

/** The car park's day today (YYYY-MM-DD). */
export function parkToday(zone: string, now = Date.now()): string {
  return formatLocal(now, zone).slice(0, 10);
}

/** The day a typed text means (YYYY-MM-DD), or null when it is not a real day. 12-01 is this year's, in the zone. */
export function parseDayText(text: string, zone: string, now = Date.now()): string | null {
  const t = fullWidthDigits(text.trim())
    .replace(/日$/, '')
    .replace(/[年月/.\uff0f\u3002]/g, '-');
  const full = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (full) return realDay(Number(full[1]), Number(full[2]), Number(full[3]));
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (compact) return realDay(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  const short = /^(\d{1,2})-(\d{1,2})$/.exec(t);
  if (short) return realDay(Number(parkToday(zone, now).slice(0, 4)), Number(short[1]), Number(short[2]));
  return null;
}

const dayNo = (day: string) =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;

/** 周二, with 今天 / 明天 / 昨天 next to the car park's today. */
export function describeDay(day: string, zone: string, now = Date.now()): string {
  const offset = dayNo(day) - dayNo(parkToday(zone, now));
  const near = offset === 0 ? ' 今天' : offset === 1 ? ' 明天' : offset === -1 ? ' 昨天' : '';
  return `${WEEKDAYS[new Date(dayNo(day) * 86_400_000).getUTCDay()]}${near}`;
}
