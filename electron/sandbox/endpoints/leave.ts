// POST /gate/1.0/parking/internal/leave: vehicle exit with payments and images (推送车辆离场).
// Success "200". A bad signature is answered 200 "已忽略当前请求" with a hint, and nothing is stored.

import { badParam, missingParam } from '../errors.ts';
import {
  CAR_TYPES,
  PAYMENT_PAY_TYPES,
  PLATE_COLORS,
  isEpochMs,
  isEpochMsJson,
  isFenJson,
  isFenText,
  jsonScalarText,
} from '../formats.ts';
import { checkFields, readSignedForm, requireFields } from './form.ts';
import type { EndpointContext, Outcome } from './context.ts';
import type { StoredFile } from '../types.ts';

export const LEAVE_PATH = '/gate/1.0/parking/internal/leave';
export const LEAVE_SUCCESS = '200';
export const LEAVE_IGNORED_MESSAGE = '已忽略当前请求';

export const LEAVE_FILE_FIELDS: ReadonlySet<string> = new Set([
  'enter_image_file',
  'enter_plate_image_file',
  'leave_image_file',
  'leave_plate_image_file',
]);

const REQUIRED = [
  'park_uuid',
  'parking_serial',
  'plate_color',
  'enter_time',
  'car_type',
  'car_desc',
  'charge_type',
  'leave_time',
] as const;
const TIMES = ['enter_time', 'leave_time'] as const;
const MONEY = ['total_value', 'free_value', 'online_value', 'balance_value', 'cash_value', 'prepaid_value'] as const;
const PAYMENT_MONEY = ['value', 'free_value', 'change_value'] as const;

function checkPaymentList(text: string): void {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    // Not JSON: answered as the platform answers a bad payment_list (400 naming it).
    throw badParam('payment_list');
  }
  if (!Array.isArray(list)) throw badParam('payment_list');
  for (const [i, p] of list.entries()) {
    const name = `payment_list[${i}]`;
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw badParam(name);
    const payment = p as Record<string, unknown>;
    for (const f of PAYMENT_MONEY) {
      const v = payment[f];
      if (v !== undefined && v !== null && !isFenJson(v)) throw badParam(`${name}.${f}`);
    }
    const payType = payment.pay_type;
    if (payType !== undefined && payType !== null) {
      const t = jsonScalarText(payType);
      if (t === null || !PAYMENT_PAY_TYPES.has(t)) throw badParam(`${name}.pay_type`);
    }
    const payTime = payment.pay_time;
    if (payTime !== undefined && payTime !== null && !isEpochMsJson(payTime)) throw badParam(`${name}.pay_time`);
  }
}

/** Each file part needs its `*_hash` field, equal to the upper-case MD5 of the bytes received. */
function checkFileHashes(fields: Record<string, string>, files: readonly StoredFile[]): void {
  for (const file of files) {
    const hashField = file.field.replace(/_file$/, '_hash');
    const sent = fields[hashField];
    if (sent === undefined) throw missingParam(hashField);
    if (sent.toUpperCase() !== file.md5) throw badParam(hashField);
  }
}

export async function handleLeave({ req, seqno, store }: EndpointContext): Promise<Outcome> {
  const result = await readSignedForm(req, store, LEAVE_FILE_FIELDS);
  if (!result.ok) {
    return {
      httpStatus: 200,
      code: LEAVE_SUCCESS,
      message: LEAVE_IGNORED_MESSAGE,
      hint: `签名验证不通过[${result.hintText}]`,
      key: null,
    };
  }
  const { parkUuid, fields, files } = result.form;

  requireFields(fields, REQUIRED);
  if (fields.app_id !== undefined) requireFields(fields, ['api_type']);
  checkFields(fields, ['plate_color'], (v) => PLATE_COLORS.has(v));
  checkFields(fields, ['car_type'], (v) => CAR_TYPES.has(v));
  checkFields(fields, TIMES, isEpochMs);
  checkFields(fields, MONEY, isFenText);
  const paymentList = fields.payment_list;
  if (paymentList !== undefined) checkPaymentList(paymentList);
  checkFileHashes(fields, files);

  const key = fields.parking_serial ?? '';
  store.acceptForm('leave', parkUuid, key, fields, files, seqno);
  return { httpStatus: 200, code: LEAVE_SUCCESS, message: 'OK', key };
}
