/**
 * One renewal while it is typed, and how it becomes the contract's input: texts in, codes, fen and local days out.
 * The record rules (renewalProblems) run here for each field's problem at once; the main process checks again.
 */
import type { RenewalForm } from '../../../shared/contract/vip.ts';
import { checkPlate } from '../../../shared/records/plate.ts';
import { expectedEndDay, type RenewalEntry, renewalProblems, VALUE_MEANING } from '../../../shared/records/renewal.ts';
import { DAY_HINT, joinPlate, parseDayText, YUAN_HINT, yuanTextToFen } from '../../components/typed-values.ts';
import { parseTyped, TIME_HINT } from '../../time.ts';
import { FORM_ORDER, type FormField, isRenewalField, RENEWAL_FIELD_LABELS } from './fields.ts';

export interface RenewalDraft {
  province: string;
  plateText: string;
  plateColor: string;
  /** The colour follows the plate (green for new-energy plates) until picked. */
  plateColorTouched: boolean;
  chargeType: string;
  chargeTypeTouched: boolean;
  vipType: string;
  /** The plate's last renewal's type is offered until a type is picked. */
  vipTypeTouched: boolean;
  quantity: string;
  payType: string;
  /** Yuan, as typed. */
  payValue: string;
  /** 面额 as typed: yuan for 储值, a count for 储次, days for the others. */
  value: string;
  startDay: string;
  startTouched: boolean;
  endDay: string;
  /** The end follows type, quantity and start until someone types in it. */
  endTouched: boolean;
  payTimeText: string;
  payTimeFollowsNow: boolean;
  cardNo: string;
  cardId: string;
  payPartner: string;
}

export type RenewalErrors = Partial<Record<FormField, string>>;

export function emptyRenewal(keep?: Partial<Pick<RenewalDraft, 'province' | 'vipType' | 'payType' | 'chargeType'>>) {
  return {
    province: keep?.province ?? '粤',
    plateText: '',
    plateColor: '1',
    plateColorTouched: false,
    chargeType: keep?.chargeType ?? '',
    chargeTypeTouched: false,
    vipType: keep?.vipType ?? '1',
    vipTypeTouched: false,
    quantity: '1',
    payType: keep?.payType ?? '1',
    payValue: '',
    value: '',
    startDay: '',
    startTouched: false,
    endDay: '',
    endTouched: false,
    payTimeText: '',
    payTimeFollowsNow: true,
    cardNo: '',
    cardId: '',
    payPartner: '',
  } satisfies RenewalDraft;
}

export function plateOfRenewal(d: RenewalDraft): string {
  return joinPlate(d.province, d.plateText);
}

/** The plate when it is a real plate (the defaults are asked for it), else null. */
export function validPlate(d: RenewalDraft): string | null {
  const plate = plateOfRenewal(d);
  const c = checkPlate(plate);
  return c.ok && c.kind !== 'none' ? plate : null;
}

/** The colour that goes with the plate typed, until one is picked. */
export function plateDefaultColor(d: RenewalDraft): string | null {
  const c = checkPlate(plateOfRenewal(d));
  if (!c.ok) return null;
  return c.kind === 'new-energy' ? '5' : c.kind === 'ordinary' ? '1' : null;
}

function whole(text: string): number | null {
  const t = text.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : null;
}

/** The end the type and quantity give from the start (time cards and 储天), or null. */
export function followedEnd(d: RenewalDraft, zone: string): string | null {
  const start = parseDayText(d.startDay, zone);
  const q = whole(d.quantity);
  if (start === null || q === null) return null;
  return expectedEndDay(d.vipType, q, start);
}

/** The draft after a change: the colour follows the plate and the end follows the rest, until each is set by hand. */
export function withFollowers(d: RenewalDraft, zone: string): RenewalDraft {
  const next = { ...d };
  if (!next.plateColorTouched) next.plateColor = plateDefaultColor(next) ?? next.plateColor;
  if (!next.endTouched) next.endDay = followedEnd(next, zone) ?? '';
  if (VALUE_MEANING[next.vipType]?.unit === null) next.value = '';
  return next;
}

/** The 面额 label for a type: 面额 (金额, 元), 面额 (次数) … */
export function valueLabel(vipType: string): string {
  const m = VALUE_MEANING[vipType];
  if (!m || m.unit === null) return '面额 (免费车不填)';
  return m.unit === 'fen' ? '面额 (金额, 元)' : `面额 (${m.label})`;
}

const required = (field: FormField) => `请填写${RENEWAL_FIELD_LABELS[field]}`;

export type Checked = { form: RenewalForm; entry: RenewalEntry } | { errors: RenewalErrors; formError: string | null };

/**
 * The contract's input and the entry the rules check, or each field's problem in Chinese: the texts first (days,
 * amounts, numbers), then the shared record rules on what they make.
 */
export function toRenewal(d: RenewalDraft, zone: string, now: number, operator: string | null): Checked {
  const errors: RenewalErrors = {};
  if (d.plateText.trim() === '') errors.plate = required('plate');
  const quantity = whole(d.quantity);
  if (d.quantity.trim() === '') errors.quantity = required('quantity');
  else if (quantity === null) errors.quantity = '续费数量须为整数, 如 1、3、12';

  const day = (field: 'start_day' | 'end_day', text: string): string | undefined => {
    if (text.trim() === '') return undefined;
    const parsed = parseDayText(text, zone, now);
    if (parsed === null) errors[field] = `不是有效日期, ${DAY_HINT}`;
    return parsed ?? undefined;
  };
  const startDay = day('start_day', d.startDay);
  const endDay = day('end_day', d.endDay);

  let payValue: number | undefined;
  if (d.payValue.trim() !== '') {
    const fen = yuanTextToFen(d.payValue);
    if (fen === null) errors.pay_value = `支付金额格式不对, ${YUAN_HINT}`;
    else payValue = fen;
  }

  let value: string | undefined;
  const unit = VALUE_MEANING[d.vipType]?.unit ?? null;
  if (unit !== null && d.value.trim() !== '') {
    if (unit === 'fen') {
      const fen = yuanTextToFen(d.value);
      if (fen === null) errors.value = `储值面额是金额, ${YUAN_HINT}`;
      else value = String(fen);
    } else {
      const n = whole(d.value);
      if (n === null) errors.value = `面额是${unit === 'count' ? '次数' : '天数'}, 须为整数`;
      else value = String(n);
    }
  }

  let payTime: number | undefined = now;
  if (!d.payTimeFollowsNow) {
    if (d.payTimeText.trim() === '') errors.pay_time = required('pay_time');
    else {
      const t = parseTyped(d.payTimeText, zone, now);
      if (t === null) errors.pay_time = `支付时间格式不对, ${TIME_HINT}`;
      payTime = t ?? undefined;
    }
  }

  const form: RenewalForm = {
    plate: plateOfRenewal(d),
    plate_color: d.plateColor,
    charge_type: d.chargeType.trim(),
    vip_type: d.vipType,
    quantity: quantity ?? 0,
    pay_type: d.payType,
  };
  if (d.payPartner.trim()) form.pay_partner = d.payPartner.trim();
  if (value !== undefined) form.value = value;
  if (payTime !== undefined) form.pay_time = payTime;
  if (startDay !== undefined) form.start_day = startDay;
  if (endDay !== undefined) form.end_day = endDay;
  if (payValue !== undefined) form.pay_value = payValue;
  if (d.cardNo.trim()) form.card_no = d.cardNo.trim();
  if (d.cardId.trim()) form.card_id = d.cardId.trim();

  const entry: RenewalEntry = { ...form };
  if (operator) entry.operator = operator;
  let formError: string | null = null;
  for (const issue of renewalProblems(entry, zone)) {
    const field = issue.field;
    if (isRenewalField(field) && (FORM_ORDER as readonly string[]).includes(field)) {
      const f = field as FormField;
      errors[f] ??= issue.message === '必填' ? required(f) : issue.message;
    } else {
      // The operator (from the shift) or the whole row: said under the form.
      formError ??= `${isRenewalField(field) ? RENEWAL_FIELD_LABELS[field] : ''}${issue.message}`;
    }
  }
  if (Object.keys(errors).length > 0 || formError !== null) return { errors, formError };
  return { form, entry };
}

/** The first field with a problem, in the order of the screen. */
export function firstBad(errors: RenewalErrors): FormField | undefined {
  return FORM_ORDER.find((f) => errors[f]);
}

/** The reply's issues (RenewalEntry names) under the form's fields; the rest as one sentence. */
export function replyErrors(
  issues: readonly { field: string; message: string }[],
  message: string,
): { errors: RenewalErrors; formError: string } {
  const errors: RenewalErrors = {};
  const other: string[] = [];
  for (const i of issues) {
    if ((FORM_ORDER as readonly string[]).includes(i.field)) errors[i.field as FormField] ??= i.message;
    else other.push(isRenewalField(i.field) ? `${RENEWAL_FIELD_LABELS[i.field]}: ${i.message}` : i.message);
  }
  if (other.length > 0) return { errors, formError: `续费未保存: ${other.join('; ')}` };
  if (Object.keys(errors).length > 0) return { errors, formError: '有字段需要修改, 见红字提示; 续费未保存' };
  return { errors, formError: `续费未保存: ${message}` };
}
