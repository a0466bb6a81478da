/**
 * Times in the car park's zone (from settings), never the PC's: conversions go through
 * shared/records/time.ts. antd's pickers hold dayjs values whose wall-clock fields we read as the
 * car park's wall clock.
 */
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import 'dayjs/locale/zh-cn.js';
import {
  formatLocal,
  formatUtc,
  instantToLocal,
  localToInstant,
  parseLocal,
  parseUtc,
} from '../shared/records/time.ts';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

export function setParkZone(zone: string): void {
  dayjs.tz.setDefault(zone);
}

/** A picker's value, read as the car park's wall clock. */
export function pickerToInstant(d: Dayjs, zone: string): number {
  return localToInstant(
    { year: d.year(), month: d.month() + 1, day: d.date(), hour: d.hour(), minute: d.minute(), second: d.second() },
    zone,
  );
}

/** A dayjs value whose wall-clock fields read as the car park's clock at an instant (for antd's pickers). */
export function instantToPicker(instant: number, zone: string): Dayjs {
  const l = instantToLocal(instant, zone);
  return dayjs(new Date(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
}

/** Midnight starting the car park's day `offset` days from the one `now` falls in (0 today, -1 yesterday). */
export function parkDayStart(now: number, zone: string, offset = 0): number {
  const l = instantToLocal(now, zone);
  // Date.UTC only to step the calendar (month and year ends); the instant comes from the zone.
  const day = new Date(Date.UTC(l.year, l.month - 1, l.day + offset));
  return localToInstant(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: 0, minute: 0, second: 0 },
    zone,
  );
}

/** A half-open range of instants [from, to): `to` absent means up to now and on. */
export interface InstantRange {
  from: number;
  to?: number;
}

/** 今天 and 昨天 in the car park's zone (whatever the PC's own zone), as the log's filter takes them. */
export function parkDayRange(now: number, zone: string, offset: 0 | -1): InstantRange {
  return { from: parkDayStart(now, zone, offset), to: parkDayStart(now, zone, offset + 1) };
}

/**
 * A record's time field as the car park's wall clock for editing (`2025-03-01 08:30:00`): the update endpoint's UTC
 * text or the leave endpoint's epoch milliseconds. Null when it is neither (then it is edited as it is).
 */
export function recordTimeToLocal(value: string | number, zone: string): string | null {
  const text = String(value).trim();
  if (/^\d{12,14}$/.test(text)) return formatLocal(Number(text), zone);
  const t = parseUtc(text);
  return t === null ? null : formatLocal(t, zone);
}

/** How a record keeps a time: the update endpoint's UTC text, the leave endpoint's epoch milliseconds. */
export type RecordTimeFormat = 'utc' | 'epoch';

/**
 * A time typed as the car park's wall clock, back in the record's own format (epoch milliseconds keep the type the
 * field had: a number stays a number). Null when the typed text is no time.
 */
export function localToRecordTime(
  typed: string,
  format: RecordTimeFormat,
  before: unknown,
  zone: string,
  now = Date.now(),
): string | number | null {
  const t = parseTyped(typed, zone, now);
  if (t === null) return null;
  if (format === 'utc') return formatUtc(t);
  return typeof before === 'number' ? t : String(t);
}

/**
 * What a booth worker types: `2025-03-01 08:30[:00]`, `03-01 08:30` (this year), `08:30[:00]`
 * (today), or `0830` (today). Null when it is none of these.
 */
export function parseTyped(text: string, zone: string, now = Date.now()): number | null {
  const t = text.trim().replace(/[/.]/g, '-').replace(/\s+/g, ' ');
  if (t === '') return null;
  const today = formatLocal(now, zone).slice(0, 10);
  const compact = /^(\d{2})(\d{2})$/.exec(t);
  if (compact) return parseLocal(`${today} ${compact[1]}:${compact[2]}`, zone);
  if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(t))
    return parseLocal(`${today} ${t.padStart(t.indexOf(':') === 1 ? t.length + 1 : t.length, '0')}`, zone);
  if (/^\d{1,2}-\d{1,2} \d{1,2}:\d{2}(:\d{2})?$/.test(t)) {
    const [md, hms] = t.split(' ') as [string, string];
    const [m, d] = md.split('-') as [string, string];
    return parseLocal(
      `${today.slice(0, 4)}-${m.padStart(2, '0')}-${d.padStart(2, '0')} ` +
        `${hms.padStart(hms.indexOf(':') === 1 ? hms.length + 1 : hms.length, '0')}`,
      zone,
    );
  }
  const full = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (full) {
    const [, y, mo, d, h, mi, s] = full;
    const p2 = (x: string | undefined) => (x ?? '0').padStart(2, '0');
    return parseLocal(`${y}-${p2(mo)}-${p2(d)} ${p2(h)}:${p2(mi)}:${p2(s)}`, zone);
  }
  return null;
}

export const TIME_HINT = '如 2025-03-01 08:30、03-01 08:30 或 08:30';

export { formatLocal, formatUtc };

/** 3 分钟, 2 小时 5 分 — for ages and waits. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} 分钟`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} 小时 ${m % 60} 分`;
  return `${Math.floor(h / 24)} 天`;
}
