/**
 * A stored leave record (the outbox's, platform field names) back into the 离场补推 form, for a re-push from the log
 * or the queue: times as the car park's wall clock, fen as yuan, payment_list (array or its JSON text) as rows, and
 * each photo as its URL or as "the stored file" (kept by the main process when the slot is left as it is). The
 * platform's last refusal names a field in its hint: that field is found here, to be highlighted with its words.
 */
import type { QueuedRecord } from '../../../shared/contract/queue.ts';
import { PLATFORM_FIELD_WORDS } from '../../../shared/platform/outcome-text.ts';
import { formatFen } from '../../../shared/records/money.ts';
import { IMAGE_SLOTS } from '../../../shared/records/leave.ts';
import { PROVINCES } from '../../../shared/records/plate.ts';
import { formatLocal } from '../../time.ts';
import { EXIT_LABELS, emptyExit, type ExitDraft, FEE_KEYS, newPayment, type PaymentDraft } from './draft.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * Epoch ms (a number or its text) as the car park's wall clock; anything else as it is. The instant is kept by its
 * text in `exact` (ExitDraft.exact), so that an unchanged time goes back with its milliseconds.
 */
function timeText(v: unknown, zone: string, exact: Record<string, number>): string {
  const t = str(v).trim();
  if (!/^\d{10,14}$/.test(t)) return t;
  const text = formatLocal(Number(t), zone);
  exact[text] = Number(t);
  return text;
}

/** Fen (a number or its text) as yuan; anything else as it is (the form then says what is wrong). */
function yuanText(v: unknown): string {
  const t = str(v).trim();
  return /^\d{1,12}$/.test(t) ? formatFen(Number(t)) : t;
}

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

function paymentsOf(v: unknown, zone: string, exact: Record<string, number>): PaymentDraft[] {
  let list: unknown = v;
  if (typeof v === 'string') {
    try {
      list = JSON.parse(v);
    } catch {
      list = [];
    }
  }
  if (!Array.isArray(list)) return [];
  return list.map((raw) => {
    const p = (raw ?? {}) as Record<string, unknown>;
    const row = newPayment(null, str(p.pay_type) || '1');
    row.value = yuanText(p.value);
    row.free = yuanText(p.free_value);
    row.change = yuanText(p.change_value);
    row.order = str(p.parking_order);
    row.timeText = timeText(p.pay_time, zone, exact);
    row.operator = str(p.operator);
    const origin = str(p.pay_origin_desc);
    if (origin) row.origin = origin;
    return row;
  });
}

/** The form's values for a stored leave record. */
export function draftFromRecord(record: Record<string, unknown>, zone: string): ExitDraft {
  const d = emptyExit();
  const exact: Record<string, number> = {};
  d.exact = exact;
  const plate = str(record.plate).trim();
  const province = PROVINCES.find((p) => plate.startsWith(p.char));
  if (province) {
    d.province = province.char;
    d.plateText = plate.slice(province.char.length);
  } else d.plateText = plate;
  d.parkingSerial = str(record.parking_serial);
  d.plateColor = str(record.plate_color) || d.plateColor;
  d.plateColorTouched = true;
  d.plateType = str(record.plate_type);
  d.carType = str(record.car_type) || d.carType;
  d.carDesc = str(record.car_desc);
  d.carColor = str(record.car_color);
  d.vehicleType = str(record.vehicle_type);
  d.cardNo = str(record.card_no);
  d.cardId = str(record.card_id);
  d.chargeType = str(record.charge_type);
  d.enterText = timeText(record.enter_time, zone, exact);
  d.enterGate = str(record.enter_gate);
  d.enterSecurity = str(record.enter_security);
  d.enterReason = str(record.enter_release_reason);
  d.leaveText = timeText(record.leave_time, zone, exact);
  d.leaveGate = str(record.leave_gate);
  d.leaveSecurity = str(record.leave_security);
  d.leaveReason = str(record.leave_release_reason);
  for (const [field, key] of FEE_KEYS) d[key] = yuanText(record[field]);
  d.payments = paymentsOf(record.payment_list, zone, exact);
  d.totalSpace = str(record.total_parking_space);
  d.remainSpace = str(record.remain_parking_space);
  d.idcardName = str(record.idcard_name);
  d.idcardNo = str(record.idcard_no);
  d.idcardImage = str(record.idcard_image);
  for (const slot of IMAGE_SLOTS) {
    const file = str(record[`${slot}_file`]);
    const url = str(record[slot]);
    d.images[slot] = file ? { kind: 'stored', name: baseName(file) } : url ? { kind: 'url', url } : { kind: 'none' };
  }
  return d;
}

/** The form field (error key) a platform field name stands for. */
function formFieldOf(name: string): string | null {
  if (name === 'payment_list') return 'payments';
  const slot = IMAGE_SLOTS.find((s) => name === s || name === `${s}_file` || name === `${s}_hash`);
  if (slot) return `images.${slot}`;
  return name in EXIT_LABELS ? name : null;
}

/** Platform names worth looking for in a hint: the form's own, the image parts and payment_list. */
const NAMES = [
  ...Object.keys(EXIT_LABELS).filter((k) => /^[a-z_]+$/.test(k)),
  ...IMAGE_SLOTS.flatMap((s) => [s, `${s}_file`, `${s}_hash`]),
  'payment_list',
];

export interface Highlight {
  /** The form's field (error key): `enter_time`, `payments`, `images.leave_image`. */
  field: string;
  /** The platform's own words (hint, else message). */
  words: string;
}

/**
 * The field the platform's last refusal names, by its platform name (`leave_time …`) or, failing that, by the
 * words the console uses for it (PLATFORM_FIELD_WORDS, the form's labels): the first one named in the text.
 */
export function highlightOf(last: QueuedRecord['last']): Highlight | null {
  if (last.outcome !== 'rejected' && last.outcome !== 'ignored') return null;
  const words = last.hint?.trim() || last.message?.trim() || '';
  if (words === '') return null;
  let best: { at: number; field: string } | null = null;
  const consider = (at: number, field: string | null) => {
    if (field !== null && at >= 0 && (best === null || at < best.at)) best = { at, field };
  };
  for (const name of NAMES) {
    const m = new RegExp(`(^|[^a-z_])${name}($|[^a-z_])`, 'i').exec(words);
    if (m) consider(m.index, formFieldOf(name));
  }
  if (best === null) {
    for (const [name, label] of Object.entries(PLATFORM_FIELD_WORDS)) consider(words.indexOf(label), formFieldOf(name));
    for (const [field, label] of Object.entries(EXIT_LABELS)) consider(words.indexOf(label), field);
  }
  const found = best as { at: number; field: string } | null;
  return found ? { field: found.field, words } : null;
}
