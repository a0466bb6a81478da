/** 推送同步固定车续费记录: POST /gate/1.0/parking/internal/vip/recharge (JSON, batches). */
import { z } from 'zod';
import { PLATE_COLORS, VIP_PAY_TYPES, VIP_TYPES } from './enums.ts';
import {
  count,
  enumOf,
  type FieldIssue,
  epochMs,
  fenNumber,
  keyText,
  opt,
  plate,
  req,
  text,
  utcEndNotBefore,
  utcTime,
} from './fields.ts';
import { renewalTimeProblem } from './time.ts';

export const VIP_END_BEFORE_START = '续费结束时间不能早于开始时间';

const asNumber = <T extends z.ZodType>(inner: T) => inner.transform((v) => Number(v));

/**
 * One renewal row; `pay_partner` (the car park's order number, text although the page says int)
 * is the idempotency key. renewal_start_time / renewal_end_time are the UTC instants of the car
 * park's local day start and end (see localDayStartUtc / localDayEndUtc), so they may lie years
 * ahead (renewalTimeProblem), unlike every other time; pay_value is fen. The plate must be a real one.
 */
export const vipRowSchema = z
  .strictObject({
    plate: req(plate({ noPlate: false })),
    plate_color: req(asNumber(enumOf(PLATE_COLORS))),
    card_no: opt(text(64)),
    card_id: opt(text(64)),
    charge_type: req(text(64)),
    vip_type: req(enumOf(VIP_TYPES)),
    quantity: req(count(100_000)),
    pay_partner: req(keyText(64)),
    pay_type: req(asNumber(enumOf(VIP_PAY_TYPES))),
    value: opt(text(32)),
    pay_time: opt(epochMs()),
    renewal_start_time: opt(utcTime(renewalTimeProblem)),
    renewal_end_time: opt(utcTime(renewalTimeProblem)),
    pay_value: opt(fenNumber()),
    operator: opt(text(32)),
  })
  .superRefine(utcEndNotBefore('renewal_start_time', 'renewal_end_time', VIP_END_BEFORE_START));
export type VipRow = z.output<typeof vipRowSchema>;

export const VIP_BATCH_MAX_ROWS = 1000;

/**
 * Rows whose `pay_partner` repeats an earlier row's. Checked on the raw input, beside the schema,
 * so a duplicate is reported together with every other problem of the batch.
 */
export function duplicatePayPartners(batch: unknown): FieldIssue[] {
  const rows = batch && typeof batch === 'object' ? (batch as Record<string, unknown>).row : undefined;
  if (!Array.isArray(rows)) return [];
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r: unknown, i) => {
    const raw = r && typeof r === 'object' ? (r as Record<string, unknown>).pay_partner : undefined;
    const key = raw === undefined || raw === null ? '' : String(raw).trim();
    if (key === '') return;
    const first = seen.get(key);
    if (first !== undefined) issues.push({ field: `row[${i}].pay_partner`, message: `与 row[${first}] 重复` });
    else seen.set(key, i);
  });
  return issues;
}

/** One batch as queued: `park_uuid` comes from the credentials; `complete: 1` only on a full upload's first batch. */
export const vipBatchSchema = z.strictObject({
  complete: opt(
    z.preprocess(
      (v) => (typeof v === 'string' ? Number(v) : v),
      z.union([z.literal(0), z.literal(1)], { error: '须为 0 或 1' }),
    ),
  ),
  row: req(
    z
      .array(vipRowSchema, { error: '须为续费记录数组' })
      .min(1, '至少一条')
      .max(VIP_BATCH_MAX_ROWS, `一批不能超过 ${VIP_BATCH_MAX_ROWS} 条`),
  ),
});
export type VipBatchInput = z.input<typeof vipBatchSchema>;
export type VipBatch = z.output<typeof vipBatchSchema>;
