/**
 * Instants and the car park's wall clock. Everything here is computed for an IANA zone given
 * explicitly (the car park's setting, Asia/Shanghai by default), never the PC's own zone.
 * Works the same in Node and in the browser (Intl only).
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The update endpoint's UTC form: yyyy-MM-dd'T'HH:mm:ss'Z', milliseconds allowed. */
export const UTC_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Milliseconds since the epoch of a UTC string, or null when it is not one (or not a real date). */
export function parseUtc(text: string): number | null {
  const m = UTC_TIME_PATTERN.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    return null;
  }
  return t;
}

/** Nothing before this is a real record of this console (a wrong year or a time of 0). */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
/** How far past this PC's clock a record's time may be (a clock a little off, a zone mixed up), without a setting. */
export const LATEST_AHEAD_MS = 24 * 60 * 60 * 1000;
/** Renewal periods lie in the future (a year card ends a year from now): only nonsense years are refused. */
export const RENEWAL_LATEST_INSTANT = Date.UTC(2100, 0, 1);

/** Why an instant is outside the window every time of a record must fall in (null when inside). */
export function recordTimeProblem(instant: number, now: number = Date.now()): string | null {
  if (instant < EARLIEST_INSTANT) return '不能早于 2000 年';
  if (instant > now + LATEST_AHEAD_MS) return '不能晚于现在一天以上, 请检查年份和电脑时钟';
  return null;
}

/** The same for a renewal period's start and end: from 2000 up to the end of 2099. */
export function renewalTimeProblem(instant: number): string | null {
  if (instant < EARLIEST_INSTANT) return '不能早于 2000 年';
  if (instant >= RENEWAL_LATEST_INSTANT) return '不能晚于 2099 年';
  return null;
}

/** The platform's UTC form of an instant, to the second: 2022-09-01T00:00:00Z. */
export function formatUtc(instant: number): string {
  return new Date(Math.floor(instant / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    // Intl throws RangeError for a zone it does not know: that is the answer.
    return false;
  }
}

/**
 * Readings already made, per zone and instant: Intl's formatToParts costs tens of microseconds, and an import of
 * 20,000 renewals asks for the same few days again and again. Bounded: emptied when full.
 */
const readings = new Map<string, LocalParts>();
const READINGS_MAX = 20_000;

/** The wall-clock reading in `zone` at an instant. */
export function instantToLocal(instant: number, zone: string): LocalParts {
  const key = `${zone} ${instant}`;
  const known = readings.get(key);
  if (known) return { ...known };
  const local = readClock(instant, zone);
  if (readings.size >= READINGS_MAX) readings.clear();
  readings.set(key, local);
  return { ...local };
}

function readClock(instant: number, zone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function offsetAt(instant: number, zone: string): number {
  const l = instantToLocal(instant, zone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock in `zone` reads `parts` (the earlier one across a DST fold). */
export function localToInstant(parts: LocalParts, zone: string): number {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  let guess = wall - offsetAt(wall, zone);
  guess = wall - offsetAt(guess, zone);
  return guess;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 2022-09-01 08:00:00 for display in the car park's zone. */
export function formatLocal(instant: number, zone: string): string {
  const l = instantToLocal(instant, zone);
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`;
}

/** Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:mm` or `YYYY-MM-DD HH:mm:ss` as a wall-clock time in `zone`. */
export function parseLocal(text: string, zone: string): number | null {
  const m = LOCAL_PATTERN.exec(text.trim());
  if (!m) return null;
  const parts: LocalParts = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  if (
    parts.month < 1 ||
    parts.month > 12 ||
    parts.day < 1 ||
    parts.day > 31 ||
    parts.hour > 23 ||
    parts.minute > 59 ||
    parts.second > 59
  ) {
    return null;
  }
  const t = localToInstant(parts, zone);
  const back = instantToLocal(t, zone);
  if (back.day !== parts.day || back.month !== parts.month) return null;
  return t;
}

/** UTC form of 00:00:00 on a local day: ('2022-10-01', Asia/Shanghai) → 2022-09-30T16:00:00Z. */
export function localDayStartUtc(day: string, zone: string): string {
  const t = parseLocal(day.slice(0, 10), zone);
  if (t === null) throw new RangeError(`不是有效日期: ${day}`);
  return formatUtc(t);
}

/** UTC form of 23:59:59 on a local day: ('2022-10-31', Asia/Shanghai) → 2022-10-31T15:59:59Z. */
export function localDayEndUtc(day: string, zone: string): string {
  const t = parseLocal(`${day.slice(0, 10)} 23:59:59`, zone);
  if (t === null) throw new RangeError(`不是有效日期: ${day}`);
  return formatUtc(t);
}
