/**
 * 离场补推 across the process boundary: an exit re-pushed by hand, with its payments and photos. The form sends the
 * platform's field names with instants (epoch ms, entered in the car park's zone), fen, and each photo slot as a
 * picked file's handle (shared/contract/host.ts) or a URL. The main process copies picked photos into the data
 * folder, mints missing payment order numbers, applies the leave record's rules (shared/records/leave.ts) and
 * checks the fee totals against the payments (shared/records/exit-fees.ts).
 */
import { z } from 'zod';
import { receivedKind } from '../records/text-rules.ts';
import { IMAGE_SLOTS } from '../records/leave.ts';

const typed = (label: string, expected: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `请输入${label}` : `${label}${expected}, 收到${receivedKind(iss.input)}`;
const str = (label: string) => z.string({ error: typed(label, '须为文字') });
const int = (label: string) => z.number({ error: typed(label, '须为数字') }).int(`${label}须为整数`);
const fen = (label: string) => int(label).min(0, `${label}不能为负数`).max(1e11, `${label}过大`);

export const exitPaymentSchema = z.strictObject({
  pay_type: str('支付方式'),
  /** 实收, fen (cash: after change). */
  value: fen('实收金额'),
  free_value: fen('优惠金额').optional(),
  /** Cash only. */
  change_value: fen('找零金额').optional(),
  /** Minted when empty (unique per car park). */
  parking_order: str('车场订单号').optional(),
  pay_time: int('付款时间').optional(),
  /** The collector: the shift's operator by default. */
  operator: str('收费员').optional(),
  pay_origin_desc: str('到账说明').optional(),
});
export type ExitPayment = z.output<typeof exitPaymentSchema>;

/** A photo slot: a picked file (its handle) or an address the platform can reach. */
export const exitImageSchema = z.union([
  z.strictObject({ file: z.string().min(1).max(100) }),
  z.strictObject({
    url: str('图片地址')
      .trim()
      .max(1024, '图片地址不能超过 1024 个字符')
      .regex(/^https?:\/\/\S+$/i, '图片地址须为 http:// 或 https:// 开头的网址 (本机文件请用「选择图片」)'),
  }),
]);
export type ExitImage = z.output<typeof exitImageSchema>;

export const exitFormSchema = z.strictObject({
  parking_serial: str('停车流水号'),
  plate: str('车牌号码').optional(),
  plate_color: str('车牌颜色'),
  plate_type: str('车牌类型').optional(),
  car_type: str('车辆类型'),
  car_desc: str('车类描述'),
  car_color: str('车辆颜色').optional(),
  vehicle_type: str('车型').optional(),
  card_no: str('逻辑卡号').optional(),
  card_id: str('物理卡号').optional(),
  charge_type: str('计费标准'),
  enter_time: int('入场时间'),
  enter_gate: str('入口名称').optional(),
  enter_security: str('入口保安').optional(),
  enter_release_reason: str('入场放行原因').optional(),
  leave_time: int('离场时间'),
  leave_gate: str('出口名称').optional(),
  leave_security: str('出口保安').optional(),
  leave_release_reason: str('离场放行原因').optional(),
  total_value: fen('总费用').optional(),
  free_value: fen('优惠总额').optional(),
  online_value: fen('在线支付总额').optional(),
  balance_value: fen('储值扣费总额').optional(),
  cash_value: fen('现金总额').optional(),
  prepaid_value: fen('先出后扣金额').optional(),
  payments: z.array(exitPaymentSchema).max(50, '付款记录不能超过 50 条').optional(),
  total_parking_space: int('车场总车位数').optional(),
  remain_parking_space: int('剩余车位数').optional(),
  idcard_name: str('证件姓名').optional(),
  idcard_no: str('证件号码').optional(),
  idcard_image: str('证件图片地址').optional(),
  images: z.partialRecord(z.enum(IMAGE_SLOTS), exitImageSchema).optional(),
  /** A re-push of this record (from the log or the queue): the same exit, so the same key; edited and sent again. */
  resubmitOf: z.number().int().positive().optional(),
  /** The person saw that the fee totals differ from the payments and sends anyway. */
  confirmFees: z.boolean().optional(),
});
export type ExitForm = z.output<typeof exitFormSchema>;
export type ExitFormInput = z.input<typeof exitFormSchema>;

export interface SubmitExitResult {
  id: number;
  parkingSerial: string;
  /** The same exit was queued before with the same content: nothing new stored. */
  existing: boolean;
  /** Which photo went for each slot: the copied file's name, size and MD5, or the URL. */
  images: Partial<Record<(typeof IMAGE_SLOTS)[number], { name: string; size: number; md5: string } | { url: string }>>;
}

/** Said before sending (exitWarnings): the person decides. */
export interface ExitWarnings {
  /** The platform already accepted this parking_serial from this console: it would ignore a repeat. */
  acceptedBefore: { recordId: number; at: number; seqno: string | null } | null;
  /** This console sent the serial before with another entry time: the platform would count a new stay. */
  enterTimeDiffers: { recordId: number; enterTime: number } | null;
}

/** A picked photo, for the form's thumbnail and size. */
export interface ImagePreview {
  name: string;
  size: number;
  /** data: URL of the image (JPEG or PNG), or null when too large to show. */
  dataUrl: string | null;
}

/** The data folder's copied photos, for the settings screen. */
export interface ImagesFolder {
  path: string;
  files: number;
  bytes: number;
}

export const exitWarningsSchema = z.strictObject({
  parking_serial: z.string().trim().min(1, '请输入停车流水号').max(64),
  enter_time: z.number().int().optional(),
  /** The record being re-pushed (not a warning about itself). */
  resubmitOf: z.number().int().positive().optional(),
});

export const imagePreviewSchema = z.strictObject({ file: z.string().min(1).max(100) });
