// POST /gate/1.0/parking/internal/vip/recharge: fixed-vehicle renewals in batches
// (推送同步固定车续费记录). JSON body, MD5(body + "&app_secret=" + secret) in `Authorization`.
// Success "1001". `complete=1` deletes all of the park's rows before the batch is inserted.

import { ApiError, MSG_BAD_SIGN, badBody, badParam, missingParam, unknownPark } from '../errors.ts';
import { readBody, parseJsonBody } from '../body.ts';
import {
  PLATE_COLORS,
  VIP_PAY_TYPES,
  VIP_TYPES,
  isAbsent,
  isEpochMsJson,
  isFenJson,
  isUtcTime,
  jsonScalarText,
} from '../formats.ts';
import { verifyJsonSign } from '../signing.ts';
import type { EndpointContext, Outcome } from './context.ts';

export const VIP_RECHARGE_PATH = '/gate/1.0/parking/internal/vip/recharge';
export const VIP_RECHARGE_SUCCESS = '1001';

const ROW_REQUIRED = [
  'plate',
  'plate_color',
  'charge_type',
  'vip_type',
  'quantity',
  'pay_partner',
  'pay_type',
] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkEnum(row: Record<string, unknown>, field: string, allowed: ReadonlySet<string>, name: string): void {
  const t = jsonScalarText(row[field]);
  if (t === null || !allowed.has(t)) throw badParam(name);
}

/** Validates one row; returns its pay_partner as text. */
function checkRow(row: unknown, i: number): string {
  const at = `row[${i}]`;
  if (!isObject(row)) throw badParam(at);
  for (const f of ROW_REQUIRED) {
    if (isAbsent(row[f])) throw missingParam(`${at}.${f}`);
  }
  for (const f of ['plate', 'charge_type'] as const) {
    if (jsonScalarText(row[f]) === null) throw badParam(`${at}.${f}`);
  }
  checkEnum(row, 'plate_color', PLATE_COLORS, `${at}.plate_color`);
  checkEnum(row, 'vip_type', VIP_TYPES, `${at}.vip_type`);
  checkEnum(row, 'pay_type', VIP_PAY_TYPES, `${at}.pay_type`);
  if (!isFenJson(row.quantity)) throw badParam(`${at}.quantity`);
  const payPartner = jsonScalarText(row.pay_partner);
  if (payPartner === null) throw badParam(`${at}.pay_partner`);
  for (const f of ['renewal_start_time', 'renewal_end_time'] as const) {
    const v = row[f];
    if (!isAbsent(v) && (typeof v !== 'string' || !isUtcTime(v))) throw badParam(`${at}.${f}`);
  }
  if (!isAbsent(row.pay_value) && !isFenJson(row.pay_value)) throw badParam(`${at}.pay_value`);
  if (!isAbsent(row.pay_time) && !isEpochMsJson(row.pay_time)) throw badParam(`${at}.pay_time`);
  return payPartner;
}

export async function handleVipRecharge({ req, seqno, store }: EndpointContext): Promise<Outcome> {
  const raw = await readBody(req);
  const contentType = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType))
    throw badBody('请求体无法解析: 仅支持POST JSON (Content-Type: application/json)');
  const parsed = parseJsonBody(raw);
  if (!parsed.ok) throw badBody('请求体无法解析: 不是合法的UTF-8 JSON');
  const body = parsed.value;
  if (!isObject(body)) throw badBody('请求体无法解析: 必须是JSON对象');

  if (isAbsent(body.park_uuid)) throw missingParam('park_uuid');
  const parkUuid = body.park_uuid;
  if (typeof parkUuid !== 'string') throw badParam('park_uuid');
  const secret = store.secretOf(parkUuid);
  if (secret === undefined) throw unknownPark(parkUuid);

  const auth = req.headers.authorization;
  if (!verifyJsonSign(raw, auth, secret)) throw new ApiError(401, '401', MSG_BAD_SIGN, `${parsed.text}&app_secret=***`);

  const complete = body.complete;
  let completeAll = false;
  if (!isAbsent(complete)) {
    const t = jsonScalarText(complete);
    if (t !== '0' && t !== '1') throw badParam('complete');
    completeAll = t === '1';
  }
  const rows = body.row;
  if (isAbsent(rows)) throw missingParam('row');
  if (!Array.isArray(rows)) throw badParam('row');
  if (rows.length === 0) throw missingParam('row');
  const partners = rows.map((row: unknown, i) => checkRow(row, i));

  if (completeAll) store.completeVip(parkUuid);
  rows.forEach((row, i) => {
    store.acceptVipRow(parkUuid, partners[i] ?? '', structuredClone(row as Record<string, unknown>), seqno);
  });
  return { httpStatus: 200, code: VIP_RECHARGE_SUCCESS, message: 'OK', key: partners.join(',') };
}
