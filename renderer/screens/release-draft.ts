/** The abnormal-release form while it is being typed, and how it becomes the contract's input. */
import {
  RELEASE_FIELD_LABELS,
  releaseFormSchema,
  type ReleaseField,
  type ReleaseFormInput,
} from '../../shared/contract/release-form.ts';
import { toFieldIssues } from '../../shared/records/fields.ts';
import { checkPlate, NO_PLATE, type PlateKind } from '../../shared/records/plate.ts';
import { parseTyped, TIME_HINT } from '../time.ts';

export interface Draft {
  province: string;
  plateText: string;
  noPlate: boolean;
  plateColor: string;
  plateColorTouched: boolean;
  carType: string;
  carDesc: string;
  parkingSerial: string;
  enterText: string;
  leaveText: string;
  operateText: string;
  /** The operate time shows the clock until someone types in it. */
  operateFollowsNow: boolean;
  reason: string;
  remark: string;
}

export type FieldErrors = Partial<Record<ReleaseField, string>>;

/**
 * Enter moves through these in order (as they stand on the screen; the serial just before the reason); Enter on the
 * last one saves.
 */
export const NAV_ORDER = [
  'plate',
  'plateColor',
  'carType',
  'carDesc',
  'enterTime',
  'leaveTime',
  'operateTime',
  'parkingSerial',
  'reason',
  'remark',
] as const;

export function plateOf(d: Draft): string {
  if (d.noPlate) return NO_PLATE;
  const text = d.plateText.trim();
  // Typed with its province (粤B12345): taken as typed.
  return /^[\u4e00-\u9fff]/.test(text) ? text : `${d.province}${text}`;
}

export function plateKind(d: Draft): PlateKind | null {
  const c = checkPlate(plateOf(d));
  return c.ok ? c.kind : null;
}

/** The colour that goes with a plate's kind, until the worker picks one. */
export function defaultColor(kind: PlateKind | null): string | null {
  if (kind === 'new-energy') return '5';
  if (kind === 'ordinary') return '1';
  if (kind === 'none') return '-1';
  return null;
}

export function emptyDraft(keep?: Pick<Draft, 'province' | 'carType'>): Draft {
  return {
    province: keep?.province ?? '粤',
    plateText: '',
    noPlate: false,
    plateColor: '1',
    plateColorTouched: false,
    carType: keep?.carType ?? '1',
    carDesc: '',
    parkingSerial: '',
    enterText: '',
    leaveText: '',
    operateText: '',
    operateFollowsNow: true,
    reason: '',
    remark: '',
  };
}

/** The contract's input, or each field's problem in Chinese (time texts first, then the shared schema). */
export function toInput(d: Draft, zone: string, now: number): { input: ReleaseFormInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const time = (field: 'enterTime' | 'leaveTime' | 'operateTime', text: string): number | null => {
    if (text.trim() === '') return null;
    const t = parseTyped(text, zone, now);
    if (t === null) errors[field] = `${RELEASE_FIELD_LABELS[field]}格式不对, ${TIME_HINT}`;
    return t;
  };
  const enterTime = time('enterTime', d.enterText);
  const leaveTime = time('leaveTime', d.leaveText);
  // Following now: to the second, as the box shows it, so that a save retried after an unanswered one (operateTime
  // frozen to the box's text, see ReleaseScreen) is the same content, and so the same record.
  const operateTime = d.operateFollowsNow ? Math.floor(now / 1000) * 1000 : time('operateTime', d.operateText);
  if (!d.operateFollowsNow && d.operateText.trim() === '') errors.operateTime = '请输入操作时间';

  const input: ReleaseFormInput = {
    plate: plateOf(d),
    plateColor: d.plateColor as ReleaseFormInput['plateColor'],
    carType: d.carType as ReleaseFormInput['carType'],
    parkingSerial: d.parkingSerial,
    operateTime: operateTime ?? now,
    enterTime,
    leaveTime,
  };
  if (d.carDesc.trim()) input.carDesc = d.carDesc;
  if (d.reason.trim()) input.reason = d.reason;
  if (d.remark.trim()) input.remark = d.remark;

  const parsed = releaseFormSchema.safeParse(input);
  if (!parsed.success) {
    for (const i of toFieldIssues(parsed.error)) {
      const f = i.field as ReleaseField;
      if (!errors[f]) errors[f] = i.message;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { input };
}

/** Recent parking serials of one plate: offered only while that plate is in the box. */
export interface SerialOffer<T> {
  plate: string;
  list: T[];
}

/** The serials to offer under the plate box now: none when they were looked up for another plate. */
export function offeredFor<T>(offer: SerialOffer<T> | null, plateNow: string, plateOk: boolean): T[] {
  return plateOk && offer !== null && offer.plate === plateNow ? offer.list : [];
}

/** The reason that digit key `key` (1–9) picks, or null. */
export function reasonForDigit(key: string, reasons: readonly string[]): string | null {
  if (!/^[1-9]$/.test(key)) return null;
  return reasons[Number(key) - 1] ?? null;
}
