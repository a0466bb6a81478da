/**
 * One fixed-vehicle renewal (固定车续费) as a person enters it, on the form or as a spreadsheet row: local days
 * instead of UTC instants, fen, codes. `renewalToRow` makes the platform's row of it and `renewalProblems` names
 * everything wrong with it, with the row rules of vip-recharge.ts plus the rules that need the local days
 * (a quantity that does not fit the dates). Every path (form, import, command line) goes through these two.
 */
import type { FieldIssue } from './fields.ts';
import { parseOrThrow, RecordError } from './fields.ts';
import { localDayEndUtc, localDayStartUtc, parseLocal } from './time.ts';
import { VIP_END_BEFORE_START, vipRowSchema } from './vip-recharge.ts';

export interface RenewalEntry {
  plate: string;
  /** Codes, as the platform's enumerations (enums.ts). */
  plate_color: string;
  charge_type: string;
  vip_type: string;
  quantity: number;
  /** The car park's order number: minted by the queue when absent. */
  pay_partner?: string;
  pay_type: string;
  /** 面额: fen (as text) for 储值, a count for 储次, days for 储天 and the time cards. */
  value?: string;
  /** Epoch milliseconds. */
  pay_time?: number;
  /** Local days in the car park's zone, YYYY-MM-DD. */
  start_day?: string;
  end_day?: string;
  /** Fen. */
  pay_value?: number;
  operator?: string;
  card_no?: string;
  card_id?: string;
}

export type RenewalField = keyof RenewalEntry;

/** Each field's name for people: the template's column headers, in the template's order (the form's labels too). */
export const RENEWAL_FIELD_LABELS: Record<RenewalField, string> = {
  plate: '车牌号码',
  plate_color: '车牌颜色',
  charge_type: '收费类型',
  vip_type: '固定车类型',
  quantity: '续费数量',
  pay_partner: '车场订单号',
  pay_type: '支付方式',
  value: '面额',
  pay_time: '支付时间',
  start_day: '开始日期',
  end_day: '结束日期',
  pay_value: '支付金额(元)',
  operator: '操作员',
  card_no: '逻辑卡号',
  card_id: '物理卡号',
};

/** The fields, in the template's order. */
export const RENEWAL_FIELDS = Object.keys(RENEWAL_FIELD_LABELS) as RenewalField[];

export function isRenewalField(field: string): field is RenewalField {
  return Object.hasOwn(RENEWAL_FIELD_LABELS, field);
}

/** A field's name for people (the template's header), or the text itself when it is no renewal field. */
export function renewalFieldLabel(field: string): string {
  return isRenewalField(field) ? RENEWAL_FIELD_LABELS[field] : field;
}

/** What 面额 means for each 固定车类型, for the form's label and the template's notes. */
export const VALUE_MEANING: Record<string, { label: string; unit: 'fen' | 'count' | 'days' | null }> = {
  '1': { label: '天数', unit: 'days' },
  '2': { label: '金额 (元)', unit: 'fen' },
  '3': { label: '次数', unit: 'count' },
  '4': { label: '天数', unit: 'days' },
  '5': { label: '天数', unit: 'days' },
  '6': { label: '天数', unit: 'days' },
  '7': { label: '天数', unit: 'days' },
  '0': { label: '不填', unit: null },
};

/** Months one unit of a time card covers; 储天 counts days. */
const MONTHS_PER_UNIT: Record<string, number> = { '1': 1, '6': 3, '7': 6, '5': 12 };
/**
 * How far a time card's end may be from start + quantity × period − 1 day: parks count month ends differently
 * (31 January plus one month), so a few days either way are the same renewal; a month off is not.
 */
export const MONTH_END_TOLERANCE_DAYS = 3;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The calendar day as a day number (days since 1970-01-01), or null when it is not a real day. */
function dayNumber(day: string): number | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3]))
    return null;
  return t / DAY_MS;
}

/** The day number `months` after `day` (the same day of the month, or the month's last day when it has fewer). */
function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY_MS;
}

export function formatDay(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** The local day after `day` (YYYY-MM-DD), for a new renewal's start. */
export function nextDay(day: string): string | null {
  const n = dayNumber(day);
  return n === null ? null : formatDay(n + 1);
}

/** The end a time card's quantity gives from its start (inclusive), or null for types that are not time cards. */
export function expectedEndDay(vipType: string, quantity: number, startDay: string): string | null {
  const start = dayNumber(startDay);
  if (start === null || !Number.isInteger(quantity) || quantity <= 0) return null;
  const months = MONTHS_PER_UNIT[vipType];
  if (months !== undefined) return formatDay(addMonths(start, months * quantity) - 1);
  if (vipType === '4') return formatDay(start + quantity - 1);
  return null;
}

/**
 * Why the quantity does not fit the dates for the type, or null. Time cards (月卡, 季度卡, 半年卡, 年卡): the end
 * is start + quantity periods − 1 day, give or take MONTH_END_TOLERANCE_DAYS. 储天: the days from start to end
 * (both counted) are the quantity, or the 面额 when one is given. Other types: no rule.
 */
export function quantityFitProblem(
  entry: Pick<RenewalEntry, 'vip_type' | 'quantity' | 'start_day' | 'end_day'> & {
    value?: string;
  },
): string | null {
  const { vip_type: type, quantity: q, start_day: startDay, end_day: endDay } = entry;
  if (!startDay || !endDay) return null;
  const start = dayNumber(startDay);
  const end = dayNumber(endDay);
  if (start === null || end === null || end < start) return null; // named by the day rules themselves
  const months = MONTHS_PER_UNIT[type];
  if (months !== undefined) {
    if (!Number.isInteger(q) || q <= 0) return '续费数量须大于 0';
    const expected = addMonths(start, months * q) - 1;
    if (Math.abs(end - expected) > MONTH_END_TOLERANCE_DAYS) {
      return `续费数量 ${q} 与日期不符: 从 ${startDay} 起应到 ${formatDay(expected)} 左右, 结束日期为 ${endDay}`;
    }
    return null;
  }
  if (type === '4') {
    const span = end - start + 1;
    const value = entry.value !== undefined && /^\d+$/.test(entry.value) ? Number(entry.value) : null;
    if (span === q || span === value) return null;
    return `储天续费数量 ${q} 天与日期不符: ${startDay} 到 ${endDay} 共 ${span} 天`;
  }
  return null;
}

/** The platform's row (vip-recharge.ts) of an entry; without pay_partner when the entry has none (minted later). */
export function renewalToRow(entry: RenewalEntry, zone: string): Record<string, unknown> {
  const row: Record<string, unknown> = {
    plate: entry.plate,
    plate_color: entry.plate_color,
    charge_type: entry.charge_type,
    vip_type: entry.vip_type,
    quantity: entry.quantity,
    pay_type: entry.pay_type,
  };
  if (entry.pay_partner) row.pay_partner = entry.pay_partner;
  if (entry.card_no) row.card_no = entry.card_no;
  if (entry.card_id) row.card_id = entry.card_id;
  if (entry.value !== undefined && entry.value !== '') row.value = entry.value;
  if (entry.pay_time !== undefined) row.pay_time = String(entry.pay_time);
  if (entry.start_day) row.renewal_start_time = localDayStartUtc(entry.start_day, zone);
  if (entry.end_day) row.renewal_end_time = localDayEndUtc(entry.end_day, zone);
  if (entry.pay_value !== undefined) row.pay_value = entry.pay_value;
  if (entry.operator) row.operator = entry.operator;
  return row;
}

/** The row's field a problem of the entry's field belongs to, and back. */
const ROW_FIELD_TO_ENTRY: Record<string, RenewalField> = {
  renewal_start_time: 'start_day',
  renewal_end_time: 'end_day',
};

const PENDING_PAY_PARTNER = 'PENDING-PAY-PARTNER';
const END_BEFORE_START = VIP_END_BEFORE_START;

/**
 * Everything wrong with an entry, each problem under the entry's field (start_day rather than renewal_start_time),
 * or an empty list. Days that are not real days are named before anything is converted.
 */
export function renewalProblems(entry: RenewalEntry, zone: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const f of ['start_day', 'end_day'] as const) {
    const day = entry[f];
    if (day !== undefined && (dayNumber(day) === null || parseLocal(day, zone) === null)) {
      issues.push({ field: f, message: '不是有效日期 (例如 2026-12-01)' });
    }
  }
  if (issues.length > 0) return issues;
  const row = renewalToRow(entry, zone);
  if (!row.pay_partner) row.pay_partner = PENDING_PAY_PARTNER;
  try {
    parseOrThrow(vipRowSchema, row);
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    for (const i of e.issues) issues.push({ field: ROW_FIELD_TO_ENTRY[i.field] ?? i.field, message: i.message });
  }
  // The schema compares the times only when every other field is right: said here too, so all come at once.
  const start = entry.start_day ? dayNumber(entry.start_day) : null;
  const end = entry.end_day ? dayNumber(entry.end_day) : null;
  if (start !== null && end !== null && end < start && !issues.some((i) => i.field === 'end_day')) {
    issues.push({ field: 'end_day', message: END_BEFORE_START });
  }
  if (!issues.some((i) => i.field === 'quantity' || i.field === 'start_day' || i.field === 'end_day')) {
    const fit = quantityFitProblem(entry);
    if (fit) issues.push({ field: 'quantity', message: fit });
  }
  return issues;
}

/** Throws RecordError naming every problem; returns the platform's row (pay_partner absent when not given). */
export function renewalRowOrThrow(entry: RenewalEntry, zone: string): Record<string, unknown> {
  const issues = renewalProblems(entry, zone);
  if (issues.length > 0) throw new RecordError(issues);
  return renewalToRow(entry, zone);
}
