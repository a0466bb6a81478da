/**
 * 离场补推's form (shared/contract/exit.ts) as a leave record with the platform's field names
 * (shared/records/leave.ts): instants as epoch-ms text, totals as fen text, payments as payment_list (amounts as
 * numbers), the photos as the copies' paths or URLs. The record rules then run on what this gives; their problems are
 * named back by the form's own fields (formField).
 */
import { randomBytes } from 'node:crypto';
import type { ExitForm, ExitPayment } from '../../shared/contract/exit.ts';
import { PAY_TYPES } from '../../shared/records/enums.ts';
import { IMAGE_SLOTS, type ImageSlot } from '../../shared/records/leave.ts';

/** Per slot: the copy's path (`X_file`) or a URL (`X`). */
export type SlotValue = { file: string } | { url: string };

export interface ExitRecordContext {
  /** The shift's operator: each payment's collector unless the form names one. */
  operator: string;
  images: Partial<Record<ImageSlot, SlotValue>>;
  /** The stored record of this exit (a re-push, or the same exit saved again): its order numbers are reused. */
  stored?: Record<string, unknown> | null;
  now: number;
}

const TEXT_FIELDS = [
  'parking_serial',
  'plate',
  'plate_color',
  'plate_type',
  'car_type',
  'car_desc',
  'car_color',
  'vehicle_type',
  'card_no',
  'card_id',
  'charge_type',
  'enter_gate',
  'enter_security',
  'enter_release_reason',
  'leave_gate',
  'leave_security',
  'leave_release_reason',
  'idcard_name',
  'idcard_no',
  'idcard_image',
] as const;
const FEN_FIELDS = [
  'total_value',
  'free_value',
  'online_value',
  'balance_value',
  'cash_value',
  'prepaid_value',
] as const;

const ORDER_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A new payment order number: `PO` + the UTC instant to the millisecond + 6 random characters (25 in all, the
 * platform takes 64). Unique per car park as the platform asks: two minted in one millisecond differ by the random
 * part.
 */
export function mintParkingOrder(now: number): string {
  const d = new Date(now);
  const stamp =
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}`;
  const random = [...randomBytes(6)].map((b) => ORDER_ALPHABET[b % ORDER_ALPHABET.length]).join('');
  return `PO${stamp}${random}`;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A payment as the record carries it, without its order number. */
function paymentOf(p: ExitPayment, operator: string): Record<string, unknown> {
  const out: Record<string, unknown> = { pay_type: p.pay_type, value: p.value };
  if (p.free_value !== undefined) out.free_value = p.free_value;
  if (p.change_value !== undefined) out.change_value = p.change_value;
  if (p.pay_time !== undefined) out.pay_time = String(p.pay_time);
  out.operator = blank(p.operator) ? operator : p.operator;
  // The vendor's samples always say where the money came from; the pay type's label when the form says nothing.
  const label = PAY_TYPES.find((t) => t.value === p.pay_type)?.label;
  if (!blank(p.pay_origin_desc)) out.pay_origin_desc = p.pay_origin_desc;
  else if (label) out.pay_origin_desc = label;
  return out;
}

/** The fields that make a payment the same payment (all but its order number), compared as text. */
const sameness = (p: Record<string, unknown>) =>
  JSON.stringify(
    ['pay_type', 'value', 'free_value', 'change_value', 'pay_time', 'operator', 'pay_origin_desc'].map((k) =>
      p[k] === undefined || p[k] === null ? null : String(p[k]).trim(),
    ),
  );

/**
 * payment_list from the form's payments. A payment without an order number takes the number of the same payment in
 * the stored record (so the same exit saved again is the same record, and a re-push does not make the platform count
 * a payment twice); otherwise one is minted.
 */
export function paymentList(
  payments: readonly ExitPayment[],
  ctx: Pick<ExitRecordContext, 'operator' | 'stored' | 'now'>,
): Record<string, unknown>[] {
  const stored = Array.isArray(ctx.stored?.payment_list) ? (ctx.stored.payment_list as Record<string, unknown>[]) : [];
  const free = stored.filter((p) => typeof p?.parking_order === 'string');
  const given = new Set(payments.map((p) => p.parking_order?.trim()).filter((o) => !!o));
  const minted = new Set<string>();
  return payments.map((p) => {
    const out = paymentOf(p, ctx.operator);
    if (!blank(p.parking_order)) return { ...out, parking_order: p.parking_order };
    const twin = free.findIndex((s) => sameness(s) === sameness(out) && !given.has(String(s.parking_order)));
    if (twin >= 0) {
      const order = String(free[twin]!.parking_order);
      free.splice(twin, 1);
      given.add(order);
      return { ...out, parking_order: order };
    }
    let order = mintParkingOrder(ctx.now);
    while (minted.has(order) || given.has(order)) order = mintParkingOrder(ctx.now);
    minted.add(order);
    return { ...out, parking_order: order };
  });
}

/** The leave record of the form (unchecked: the caller applies leaveRecordSchema). */
export function exitToRecord(form: ExitForm, ctx: ExitRecordContext): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const f of TEXT_FIELDS) if (!blank(form[f])) record[f] = form[f];
  record.enter_time = String(form.enter_time);
  record.leave_time = String(form.leave_time);
  for (const f of FEN_FIELDS) if (form[f] !== undefined) record[f] = String(form[f]);
  if (form.total_parking_space !== undefined) record.total_parking_space = form.total_parking_space;
  if (form.remain_parking_space !== undefined) record.remain_parking_space = form.remain_parking_space;
  if (form.payments && form.payments.length > 0) record.payment_list = paymentList(form.payments, ctx);
  for (const slot of IMAGE_SLOTS) {
    const v = ctx.images[slot];
    if (!v) continue;
    if ('file' in v) record[`${slot}_file`] = v.file;
    else record[slot] = v.url;
  }
  return record;
}

const SLOT_FIELD = new RegExp(`^(${IMAGE_SLOTS.join('|')})(_file|_hash)?$`);

/** A record field's problem named by the form's field: payment_list[1].value → payments[1].value, photos by slot. */
export function formField(recordField: string): string {
  if (recordField.startsWith('payment_list')) return `payments${recordField.slice('payment_list'.length)}`;
  const slot = SLOT_FIELD.exec(recordField);
  if (slot) return `images.${slot[1]}`;
  return recordField;
}
