/** 推送车辆离场: POST /gate/1.0/parking/internal/leave (multipart form, image files). */
import { z } from 'zod';
import { CAR_COLORS, CAR_TYPES, PAY_TYPES, PLATE_COLORS, PLATE_TYPES, VEHICLE_TYPES } from './enums.ts';
import { count, enumOf, epochMs, fenNumber, fenText, keyText, opt, req, text, textRule, wrongType } from './fields.ts';
import { checkPlate, normalizePlate } from './plate.ts';

/** One payment of an exit; `parking_order` is unique per car park. Money in fen. */
export const paymentSchema = z.strictObject({
  pay_origin_desc: opt(text(32)),
  pay_type: opt(enumOf(PAY_TYPES)),
  operator: z.preprocess((v) => (v === null ? undefined : v), text(32).optional()),
  pay_time: opt(epochMs()),
  value: opt(fenNumber()),
  free_value: opt(fenNumber()),
  parking_order: opt(keyText(64)),
  change_value: opt(fenNumber()),
});
export type Payment = z.output<typeof paymentSchema>;

const PAYMENT_LIST = '须为付款记录数组或其 JSON 文本';
const PAYMENT_LIST_MAX = 50;

/**
 * payment_list as an array of payments or as the platform's own parameter, its JSON text (as `sign`/`push` files and
 * the vendor's samples have it): the text is parsed here, so every path takes both. Each parking_order at most once
 * per pay_type (the vendor: "车场订单号必须唯一"; a split payment of one order has one entry per pay_type).
 */
const paymentList = () =>
  z.preprocess(
    (v, ctx) => {
      if (typeof v !== 'string') return v;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        parsed = undefined;
      }
      if (Array.isArray(parsed)) return parsed;
      ctx.addIssue({ code: 'custom', message: PAYMENT_LIST });
      return z.NEVER;
    },
    z.array(paymentSchema, { error: wrongType(PAYMENT_LIST) }).superRefine((payments, ctx) => {
      // Zod runs checks after a wrong type too (a .max() would count an object's `length`): arrays only.
      if (!Array.isArray(payments)) return;
      if (payments.length > PAYMENT_LIST_MAX)
        ctx.addIssue({ code: 'custom', message: `付款记录不能超过 ${PAYMENT_LIST_MAX} 条` });
      // The vendor: "车场订单号必须唯一". Its own leave sample pays one order twice, online (2) and from the stored-value
      // balance (4): a split payment. So one parking_order may appear once per pay_type; twice with the same pay_type
      // is the same payment sent twice. A payment that is not read as such has its own issue and is not compared.
      const seen = new Map<string, number>();
      payments.forEach((p, i) => {
        if (typeof p?.parking_order !== 'string') return;
        const key = JSON.stringify([p.parking_order, p.pay_type ?? null]);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else
          ctx.addIssue({
            code: 'custom',
            path: [i, 'parking_order'],
            message: `车场订单号必须唯一: 与 payment_list[${first}] 的订单号和支付方式相同`,
          });
      });
    }),
  );

/** The image slots of an exit: each may be a URL (`X`), or a file (`X_file`, a local path) with its hash (`X_hash`). */
export const IMAGE_SLOTS = ['enter_image', 'enter_plate_image', 'leave_image', 'leave_plate_image'] as const;
export type ImageSlot = (typeof IMAGE_SLOTS)[number];
export const FILE_FIELDS = IMAGE_SLOTS.map((s) => `${s}_file` as const);
const HASH = /^[0-9a-fA-F]{32}$/;
const imageHash = () => text(32).refine((s) => HASH.test(s), '须为 32 位十六进制 MD5');
const filePath = () => text(1024);
const url = () => text(1024);

/** 境外车牌(含港澳) and 两轮电动车车牌 (plate_type 1, 2) have no one format: Han characters, letters, digits. */
const ANY_PLATE = /^[\p{Script=Han}A-Z0-9]{2,10}$/u;
/**
 * The plate, normalised as the booth form does. Its shape is checked here; the mainland format
 * (checkPlate, 无牌车 allowed) is checked with plate_type below, since other plate types differ.
 */
const leavePlate = () =>
  z
    .string({ error: wrongType('须为文本') })
    .superRefine(textRule('车牌号码'))
    .transform(normalizePlate)
    .refine((p) => ANY_PLATE.test(p), '车牌号码只能含汉字、字母和数字 (2 到 10 位)');

export const leaveRecordSchema = z
  .strictObject({
    parking_serial: req(keyText(64)),
    api_type: opt(text(64)),
    plate: opt(leavePlate()),
    plate_color: req(enumOf(PLATE_COLORS)),
    plate_type: opt(enumOf(PLATE_TYPES)),
    enter_time: req(epochMs()),
    enter_image: opt(url()),
    enter_image_file: opt(filePath()),
    enter_image_hash: opt(imageHash()),
    enter_plate_image: opt(url()),
    enter_plate_image_file: opt(filePath()),
    enter_plate_image_hash: opt(imageHash()),
    enter_gate: opt(text(64)),
    enter_security: opt(text(32)),
    car_type: req(enumOf(CAR_TYPES)),
    car_desc: req(text(64)),
    card_no: opt(text(64)),
    card_id: opt(text(64)),
    car_color: opt(enumOf(CAR_COLORS)),
    vehicle_type: opt(enumOf(VEHICLE_TYPES)),
    charge_type: req(text(64)),
    leave_time: req(epochMs()),
    leave_image: opt(url()),
    leave_image_file: opt(filePath()),
    leave_image_hash: opt(imageHash()),
    leave_plate_image: opt(url()),
    leave_plate_image_file: opt(filePath()),
    leave_plate_image_hash: opt(imageHash()),
    leave_gate: opt(text(64)),
    leave_security: opt(text(32)),
    total_value: opt(fenText()),
    free_value: opt(fenText()),
    online_value: opt(fenText()),
    balance_value: opt(fenText()),
    cash_value: opt(fenText()),
    prepaid_value: opt(fenText()),
    idcard_name: opt(text(32)),
    idcard_no: opt(text(64)),
    idcard_image: opt(url()),
    enter_release_reason: opt(text(200)),
    leave_release_reason: opt(text(200)),
    total_parking_space: opt(count(1_000_000)),
    remain_parking_space: opt(count(1_000_000)),
    payment_list: opt(paymentList()),
  })
  .superRefine((r, ctx) => {
    if (Number(r.leave_time) < Number(r.enter_time)) {
      ctx.addIssue({ code: 'custom', path: ['leave_time'], message: '离场时间不能早于入场时间' });
    }
    if (r.plate !== undefined && (r.plate_type === undefined || r.plate_type === '0')) {
      const check = checkPlate(r.plate);
      if (!check.ok)
        ctx.addIssue({ code: 'custom', path: ['plate'], message: `${check.message} (境外或两轮车牌请传 plate_type)` });
    }
    // The vendor: "图片hash 传了这个值一定要传文件"; the hash of a sent file is computed when it is sent.
    for (const slot of IMAGE_SLOTS) {
      if (r[`${slot}_hash`] !== undefined && r[`${slot}_file`] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [`${slot}_hash`],
          message: `传了图片 hash 就必须传文件 ${slot}_file (只有图片地址时不传 hash)`,
        });
      }
    }
  });

export type LeaveRecordInput = z.input<typeof leaveRecordSchema>;
export type LeaveRecord = z.output<typeof leaveRecordSchema>;

/**
 * payment_list as the platform signs it: keys in ASCII order, amounts as numbers except
 * change_value, which the vendor's own sample sends as text (kept so the published vector holds).
 */
export function serialisePaymentList(payments: Payment[]): string {
  return JSON.stringify(
    payments.map((p) => {
      const out: Record<string, string | number> = {};
      const entries: [string, string | number | undefined][] = [
        ['change_value', p.change_value === undefined ? undefined : String(p.change_value)],
        ['free_value', p.free_value],
        ['operator', p.operator],
        ['parking_order', p.parking_order],
        ['pay_origin_desc', p.pay_origin_desc],
        ['pay_time', p.pay_time],
        ['pay_type', p.pay_type],
        ['value', p.value],
      ];
      for (const [k, v] of entries) if (v !== undefined) out[k] = v;
      return out;
    }),
  );
}
