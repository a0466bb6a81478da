/**
 * 离场补推 while it is typed, and how it becomes the contract's input (shared/contract/exit.ts): texts in; codes,
 * instants (typed in the car park's zone), fen and photo handles out. Errors are keyed by the form's (platform)
 * names, as the main process names its issues: `enter_time`, `payments[1].value`, `images.leave_image`.
 */
import type { ExitForm, ExitImage, ExitPayment } from '../../../shared/contract/exit.ts';
import { FEE_LABELS, type FeeMismatch, feeMismatches } from '../../../shared/records/exit-fees.ts';
import { IMAGE_SLOTS, type ImageSlot } from '../../../shared/records/leave.ts';
import { checkPlate } from '../../../shared/records/plate.ts';
import { joinPlate, YUAN_HINT, yuanTextToFen } from '../../components/typed-values.ts';
import { parseTyped, TIME_HINT } from '../../time.ts';

export interface PaymentDraft {
  /** For React's list keys only. */
  key: number;
  payType: string;
  /** Yuan, as typed. */
  value: string;
  free: string;
  change: string;
  order: string;
  /** Empty: the exit time. */
  timeText: string;
  operator: string;
  /** Kept from a stored record (not edited here). */
  origin?: string;
}

/** A photo slot: nothing, a picked file, an address, or (re-pushing) the file the stored record already has. */
export type ImageDraft =
  | { kind: 'none' }
  | { kind: 'file'; handle: string; name: string; size: number; dataUrl: string | null; stored?: string }
  | { kind: 'url'; url: string; stored?: string }
  | { kind: 'stored'; name: string };

/** What 移除 (or clearing the address) leaves: the stored record's photo when it had one, else nothing. */
export function withoutNew(image: ImageDraft): ImageDraft {
  const stored = image.kind === 'stored' ? image.name : image.kind === 'none' ? undefined : image.stored;
  return stored ? { kind: 'stored', name: stored } : { kind: 'none' };
}

/** The stored record's photo behind a slot's draft, if any. */
export function storedName(image: ImageDraft): string | undefined {
  return image.kind === 'stored' ? image.name : image.kind === 'none' ? undefined : image.stored;
}

export interface ExitDraft {
  /**
   * A re-push's stored instants by the text the form shows for them (to the second): a time left as it was goes back
   * with its milliseconds, so the platform sees the same stay, not a new one.
   */
  exact?: Record<string, number>;
  parkingSerial: string;
  province: string;
  plateText: string;
  plateColor: string;
  plateColorTouched: boolean;
  plateType: string;
  carType: string;
  carDesc: string;
  carColor: string;
  vehicleType: string;
  cardNo: string;
  cardId: string;
  chargeType: string;
  enterText: string;
  enterGate: string;
  enterSecurity: string;
  enterReason: string;
  leaveText: string;
  leaveGate: string;
  leaveSecurity: string;
  leaveReason: string;
  total: string;
  free: string;
  online: string;
  balance: string;
  cash: string;
  prepaid: string;
  payments: PaymentDraft[];
  totalSpace: string;
  remainSpace: string;
  idcardName: string;
  idcardNo: string;
  idcardImage: string;
  images: Record<ImageSlot, ImageDraft>;
}

export type ExitErrors = Record<string, string>;

/** What the worker calls each field (the leave page's own words). */
export const EXIT_LABELS: Record<string, string> = {
  parking_serial: '停车流水号',
  plate: '车牌号码',
  plate_color: '车牌颜色',
  plate_type: '车牌类型',
  car_type: '车辆类型',
  car_desc: '车类描述',
  car_color: '车辆颜色',
  vehicle_type: '车型',
  card_no: '逻辑卡号',
  card_id: '物理卡号',
  charge_type: '计费标准',
  enter_time: '入场时间',
  enter_gate: '入口名称',
  enter_security: '入口保安',
  enter_release_reason: '入场放行原因',
  leave_time: '离场时间',
  leave_gate: '出口名称',
  leave_security: '出口保安',
  leave_release_reason: '离场放行原因',
  ...FEE_LABELS,
  payments: '付款明细',
  total_parking_space: '车场总车位数',
  remain_parking_space: '剩余车位数',
  idcard_name: '证件姓名',
  idcard_no: '证件号码',
  idcard_image: '证件图片地址',
  'images.enter_image': '入场图片',
  'images.enter_plate_image': '入场车牌图片',
  'images.leave_image': '离场图片',
  'images.leave_plate_image': '离场车牌图片',
};

export const SLOT_LABELS: Record<ImageSlot, string> = {
  enter_image: '入场图片',
  enter_plate_image: '入场车牌图片',
  leave_image: '离场图片',
  leave_plate_image: '离场车牌图片',
};

/** The payment fields the form has, platform names (issues name them `payments[i].<name>`). */
export const PAYMENT_FIELDS = [
  'pay_type',
  'value',
  'free_value',
  'change_value',
  'parking_order',
  'pay_time',
  'operator',
] as const;

export const PAYMENT_LABELS: Record<(typeof PAYMENT_FIELDS)[number], string> = {
  pay_type: '支付方式',
  value: '实收金额',
  free_value: '优惠金额',
  change_value: '找零金额',
  parking_order: '车场订单号',
  pay_time: '付款时间',
  operator: '收费员',
};

const noImages = (): Record<ImageSlot, ImageDraft> =>
  Object.fromEntries(IMAGE_SLOTS.map((s) => [s, { kind: 'none' }])) as Record<ImageSlot, ImageDraft>;

export function emptyExit(keep?: Partial<Pick<ExitDraft, 'province' | 'carType' | 'chargeType'>>): ExitDraft {
  return {
    parkingSerial: '',
    province: keep?.province ?? '粤',
    plateText: '',
    plateColor: '1',
    plateColorTouched: false,
    plateType: '',
    carType: keep?.carType ?? '1',
    carDesc: '',
    carColor: '',
    vehicleType: '',
    cardNo: '',
    cardId: '',
    chargeType: keep?.chargeType ?? '',
    enterText: '',
    enterGate: '',
    enterSecurity: '',
    enterReason: '',
    leaveText: '',
    leaveGate: '',
    leaveSecurity: '',
    leaveReason: '',
    total: '',
    free: '',
    online: '',
    balance: '',
    cash: '',
    prepaid: '',
    payments: [],
    totalSpace: '',
    remainSpace: '',
    idcardName: '',
    idcardNo: '',
    idcardImage: '',
    images: noImages(),
  };
}

let nextKey = 1;
export function newPayment(operator: string | null, payType = '1'): PaymentDraft {
  return {
    key: nextKey++,
    payType,
    value: '',
    free: '',
    change: '',
    order: '',
    timeText: '',
    operator: operator ?? '',
  };
}

export function plateOfExit(d: ExitDraft): string {
  return d.plateText.trim() === '' ? '' : joinPlate(d.province, d.plateText);
}

/** The plate when it is a real one (its recent serials are asked for), else null. */
export function validExitPlate(d: ExitDraft): string | null {
  const plate = plateOfExit(d);
  if (plate === '') return null;
  const c = checkPlate(plate);
  return c.ok && c.kind !== 'none' ? plate : null;
}

/** The colour that goes with the plate, until one is picked (green for new-energy plates). */
export function withPlateColor(d: ExitDraft): ExitDraft {
  if (d.plateColorTouched) return d;
  const c = checkPlate(plateOfExit(d));
  if (!c.ok) return d;
  const color = c.kind === 'new-energy' ? '5' : c.kind === 'ordinary' ? '1' : null;
  return color === null || color === d.plateColor ? d : { ...d, plateColor: color };
}

/** A time box's instant, or null when empty or not a time. */
export function timeOf(text: string, zone: string, now = Date.now()): number | null {
  return text.trim() === '' ? null : parseTyped(text, zone, now);
}

/** 2 小时 15 分, 1 天 3 小时 5 分, 45 分. */
export function stayText(ms: number): string {
  const min = Math.floor(ms / 60_000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  const parts: string[] = [];
  if (d > 0) parts.push(`${d} 天`);
  if (h > 0 || d > 0) parts.push(`${h} 小时`);
  parts.push(`${m} 分`);
  return parts.join(' ');
}

/** The live problem of the two times (an exit before the entry), keyed as errors are. */
export function timeOrderError(d: ExitDraft, zone: string): string | null {
  const enter = timeOf(d.enterText, zone);
  const leave = timeOf(d.leaveText, zone);
  return enter !== null && leave !== null && leave < enter ? '离场时间不能早于入场时间' : null;
}

const FEE_KEYS = [
  ['total_value', 'total'],
  ['free_value', 'free'],
  ['online_value', 'online'],
  ['balance_value', 'balance'],
  ['cash_value', 'cash'],
  ['prepaid_value', 'prepaid'],
] as const satisfies readonly (readonly [keyof typeof FEE_LABELS, keyof ExitDraft])[];
export { FEE_KEYS };

/** The typed totals in fen (unreadable ones left out) and the payments that read (for the live comparison). */
export function feeView(d: ExitDraft) {
  const totals: Partial<Record<(typeof FEE_KEYS)[number][0], number>> = {};
  for (const [field, key] of FEE_KEYS) {
    const text = d[key] as string;
    const fen = text.trim() === '' ? null : yuanTextToFen(text);
    if (fen !== null) totals[field] = fen;
  }
  const payments = d.payments.map((p) => ({
    pay_type: p.payType,
    value: yuanTextToFen(p.value) ?? 0,
    free_value: p.free.trim() === '' ? 0 : (yuanTextToFen(p.free) ?? 0),
  }));
  const mismatches: FeeMismatch[] = feeMismatches(totals, payments);
  return { totals, payments, mismatches };
}

export type Checked = { form: ExitForm } | { errors: ExitErrors; formError: string };

/**
 * The contract's input, or each field's problem in Chinese. What needs the record's rules (plate format, lengths,
 * enumerations) is checked again by the main process, which names its issues the same way.
 */
export function toExitForm(d: ExitDraft, zone: string, now: number, resubmitOf: number | null): Checked {
  const errors: ExitErrors = {};
  const need = (field: string, text: string) => {
    if (text.trim() === '') errors[field] = `请填写${EXIT_LABELS[field]}`;
  };
  need('parking_serial', d.parkingSerial);
  need('car_desc', d.carDesc);
  need('charge_type', d.chargeType);

  const time = (field: 'enter_time' | 'leave_time', text: string): number | null => {
    if (text.trim() === '') {
      errors[field] = `请填写${EXIT_LABELS[field]}`;
      return null;
    }
    const kept = d.exact?.[text.trim()];
    if (kept !== undefined) return kept;
    const t = parseTyped(text, zone, now);
    if (t === null) errors[field] = `${EXIT_LABELS[field]}格式不对, ${TIME_HINT}`;
    return t;
  };
  const enter = time('enter_time', d.enterText);
  const leave = time('leave_time', d.leaveText);
  if (enter !== null && leave !== null && leave < enter) errors.leave_time = '离场时间不能早于入场时间';

  const fen = (field: string, text: string): number | undefined => {
    if (text.trim() === '') return undefined;
    const v = yuanTextToFen(text);
    if (v === null) errors[field] = `${EXIT_LABELS[field] ?? ''}格式不对, ${YUAN_HINT}`;
    return v ?? undefined;
  };
  const count = (field: string, text: string): number | undefined => {
    const t = text.trim();
    if (t === '') return undefined;
    if (!/^\d{1,7}$/.test(t)) errors[field] = `${EXIT_LABELS[field]}须为整数`;
    return /^\d{1,7}$/.test(t) ? Number(t) : undefined;
  };

  const form: ExitForm = {
    parking_serial: d.parkingSerial.trim(),
    plate_color: d.plateColor,
    car_type: d.carType,
    car_desc: d.carDesc.trim(),
    charge_type: d.chargeType.trim(),
    enter_time: enter ?? 0,
    leave_time: leave ?? 0,
  };
  const text = (field: keyof ExitForm, value: string) => {
    const t = value.trim();
    if (t !== '') (form as Record<string, unknown>)[field] = t;
  };
  const plate = plateOfExit(d);
  if (plate !== '') form.plate = plate;
  text('plate_type', d.plateType);
  text('car_color', d.carColor);
  text('vehicle_type', d.vehicleType);
  text('card_no', d.cardNo);
  text('card_id', d.cardId);
  text('enter_gate', d.enterGate);
  text('enter_security', d.enterSecurity);
  text('enter_release_reason', d.enterReason);
  text('leave_gate', d.leaveGate);
  text('leave_security', d.leaveSecurity);
  text('leave_release_reason', d.leaveReason);
  text('idcard_name', d.idcardName);
  text('idcard_no', d.idcardNo);
  text('idcard_image', d.idcardImage);
  for (const [field, key] of FEE_KEYS) {
    const v = fen(field, d[key] as string);
    if (v !== undefined) form[field] = v;
  }
  const total = count('total_parking_space', d.totalSpace);
  if (total !== undefined) form.total_parking_space = total;
  const remain = count('remain_parking_space', d.remainSpace);
  if (remain !== undefined) form.remain_parking_space = remain;

  if (d.payments.length > 0) {
    form.payments = d.payments.map((p, i) => {
      const at = (f: string) => `payments[${i}].${f}`;
      const value = yuanTextToFen(p.value);
      if (p.value.trim() === '') errors[at('value')] = '请填写实收金额';
      else if (value === null) errors[at('value')] = `实收金额格式不对, ${YUAN_HINT}`;
      const out: ExitPayment = {
        pay_type: p.payType,
        value: value ?? 0,
      };
      const free = fen(at('free_value'), p.free);
      if (free !== undefined) out.free_value = free;
      if (p.payType === '1') {
        const change = fen(at('change_value'), p.change);
        if (change !== undefined) out.change_value = change;
      }
      if (p.order.trim() !== '') out.parking_order = p.order.trim();
      if (p.timeText.trim() === '') {
        if (leave !== null) out.pay_time = leave;
      } else {
        const t = d.exact?.[p.timeText.trim()] ?? parseTyped(p.timeText, zone, now);
        if (t === null) errors[at('pay_time')] = `付款时间格式不对, ${TIME_HINT}`;
        else out.pay_time = t;
      }
      if (p.operator.trim() !== '') out.operator = p.operator.trim();
      if (p.origin) out.pay_origin_desc = p.origin;
      return out;
    });
  }

  const images: NonNullable<ExitForm['images']> = {};
  for (const slot of IMAGE_SLOTS) {
    const img = d.images[slot];
    let sent: ExitImage | null = null;
    if (img.kind === 'file') sent = { file: img.handle };
    else if (img.kind === 'url') {
      const url = img.url.trim();
      if (url !== '' && !/^https?:\/\/\S+$/i.test(url))
        errors[`images.${slot}`] = '图片地址须以 http:// 或 https:// 开头';
      if (url !== '') sent = { url };
    }
    // 'stored': left out; with resubmitOf the main process keeps the record's own file for it.
    if (sent) images[slot] = sent;
  }
  if (Object.keys(images).length > 0) form.images = images;
  if (resubmitOf !== null) form.resubmitOf = resubmitOf;

  if (Object.keys(errors).length > 0) return { errors, formError: '有字段需要修改, 见红字提示; 离场未保存' };
  return { form };
}

/** The order fields stand on the screen: the first bad one takes the focus (its data-nav). */
export function firstBadNav(errors: ExitErrors, navOrder: readonly string[]): string | undefined {
  return navOrder.find((n) => errors[n] !== undefined);
}

/** A label for an issue's field, payments and images included: 付款明细第 2 条 实收金额. */
export function issueLabel(field: string): string {
  const pay = /^payments\[(\d+)\]\.(\w+)$/.exec(field);
  if (pay) {
    const label = PAYMENT_LABELS[pay[2] as keyof typeof PAYMENT_LABELS] ?? pay[2];
    return `付款明细第 ${Number(pay[1]) + 1} 条 ${label}`;
  }
  return EXIT_LABELS[field] ?? field;
}
