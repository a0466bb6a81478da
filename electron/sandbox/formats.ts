// Value formats the vendor pages publish: UTC times, epoch milliseconds, integer fen, enumerations.

const UTC_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{3})?Z$/;

/** `yyyy-MM-dd'T'HH:mm:ss'Z'`, optional `.SSS`, and a real calendar instant. */
export function isUtcTime(v: string): boolean {
  const m = UTC_TIME.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}

/** Plausible epoch milliseconds: digits only, between 2000-01-01 and 2100-01-01 (catches seconds). */
export const EPOCH_MS_MIN = 946_684_800_000;
export const EPOCH_MS_MAX = 4_102_444_800_000;

export function isEpochMs(v: string): boolean {
  if (!/^\d{1,16}$/.test(v)) return false;
  const n = Number(v);
  return n >= EPOCH_MS_MIN && n < EPOCH_MS_MAX;
}

/** Non-negative integer amount in fen, as a digit string. */
export function isFenText(v: string): boolean {
  return /^\d{1,15}$/.test(v);
}

/** A JSON value that is an integer amount in fen: a non-negative safe integer or a digit string. */
export function isFenJson(v: unknown): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0;
  if (typeof v === 'string') return isFenText(v);
  return false;
}

/** A JSON value that is epoch milliseconds: number or digit string. */
export function isEpochMsJson(v: unknown): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && isEpochMs(String(v));
  if (typeof v === 'string') return isEpochMs(v);
  return false;
}

/** A JSON scalar as the platform would read it as text (string or finite number), else null. */
export function jsonScalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export const PLATE_COLORS: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5', '-1']);
export const CAR_TYPES: ReadonlySet<string> = new Set(['0', '1', '2', '3', '4']);
/** 1 现金, 2 在线支付, 3 无感支付, 4 储值卡余额支付, 8 优惠券全额抵扣 (the docs repository's leave page). */
export const PAYMENT_PAY_TYPES: ReadonlySet<string> = new Set(['1', '2', '3', '4', '8']);
export const VIP_TYPES: ReadonlySet<string> = new Set(['0', '1', '2', '3', '4', '5', '6', '7']);
export const VIP_PAY_TYPES: ReadonlySet<string> = new Set(['1', '2']);

/** Presence as the platform sees it: undefined, null and '' are "not sent". */
export function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** Stable JSON (object keys sorted) for content comparison. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
