/**
 * Times in the car park's zone (from settings), never the PC's: conversions go through
 * shared/records/time.ts. antd's pickers hold dayjs values whose wall-clock fields we read as the
 * car park's wall clock.
 */
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import 'dayjs/locale/zh-cn.js';
import { formatLocal, formatUtc, localToInstant, parseLocal } from '../shared/records/time.ts';

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
