// Test-side request building, by hand: node's fetch/FormData/Blob and node:crypto only.
// (Deliberately independent of any client code.)

import { createHash } from 'node:crypto';

export const UPDATE = '/gate/1.0/parking/internal/update';
export const LEAVE = '/gate/1.0/parking/internal/leave';
export const VIP = '/gate/1.0/parking/internal/vip/recharge';

export type Params = [string, string][];

export function md5(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex').toUpperCase();
}

/** The vendor's plain text: drop sign and empty values, ASCII sort, k=v joined by &. */
export function plainOf(params: Params): string {
  return params
    .filter(([k, v]) => k !== 'sign' && v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export function signOf(params: Params, secret: string): string {
  return md5(`${plainOf(params)}&app_secret=${secret}`);
}

export function withSign(params: Params, secret: string): Params {
  return [...params.filter(([k]) => k !== 'sign'), ['sign', signOf(params, secret)]];
}

export interface FilePart {
  field: string;
  filename: string;
  bytes: Uint8Array;
}

export interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  contentType: string | null;
}

async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the test then sees an answer without a code and says what it got.
    body = {};
  }
  return { status: res.status, text, body, contentType: res.headers.get('content-type') };
}

export async function postMultipart(
  base: string,
  path: string,
  params: Params,
  files: FilePart[] = [],
  init: { signal?: AbortSignal } = {},
): Promise<Answer> {
  const fd = new FormData();
  for (const [k, v] of params) fd.append(k, v);
  for (const f of files) fd.append(f.field, new Blob([new Uint8Array(f.bytes)]), f.filename);
  const res = await fetch(base + path, { method: 'POST', body: fd, ...init });
  return answerOf(res);
}

export async function postUrlEncoded(base: string, path: string, params: Params): Promise<Answer> {
  const body = new URLSearchParams(params);
  const res = await fetch(base + path, { method: 'POST', body });
  return answerOf(res);
}

export async function postJson(
  base: string,
  body: string,
  authorization: string | null,
  init: { signal?: AbortSignal; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json; charset=UTF-8' };
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(base + VIP, {
    method: 'POST',
    headers,
    body,
    ...(init.signal ? { signal: init.signal } : {}),
  });
  return answerOf(res);
}

export function jsonAuth(body: string, secret: string): string {
  return md5(`${body}&app_secret=${secret}`);
}

/** A GET; pass the sandbox's token for /__sandbox/* (health excepted). */
export async function getJson(base: string, path: string, token?: string): Promise<Answer> {
  return answerOf(await fetch(base + path, token === undefined ? {} : { headers: { 'x-sandbox-token': token } }));
}

/** An admin POST as the sandbox requires it: JSON, with its token. */
export async function postAdmin(base: string, path: string, body: unknown, token: string): Promise<Answer> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-token': token },
    body: JSON.stringify(body),
  });
  return answerOf(res);
}

/** A valid update record's parameters (unsigned). */
export function updateParams(park: string, flowNo: string, extra: Params = []): Params {
  return [
    ['park_uuid', park],
    ['flow_no', flowNo],
    ['parking_serial', `PS-${flowNo}`],
    ['plate', '粤B12345'],
    ['plate_color', '1'],
    ['car_type', '2'],
    ['car_desc', '月卡B'],
    ['enter_time', '2022-09-01T00:00:00Z'],
    ['leave_time', '2022-09-01T02:30:00.120Z'],
    ['operate_time', '2022-09-01T02:31:00Z'],
    ['operator', '保安A'],
    ['reason', '设备异常'],
    ...extra,
  ];
}

/** A valid leave record's parameters (unsigned). */
export function leaveParams(park: string, serial: string, extra: Params = []): Params {
  return [
    ['park_uuid', park],
    ['parking_serial', serial],
    ['plate', '粤X44444'],
    ['plate_color', '1'],
    ['enter_time', '1624874732253'],
    ['leave_time', '1624937505093'],
    ['car_type', '1'],
    ['car_desc', '临时车'],
    ['charge_type', '1'],
    ['total_value', '1000'],
    ['cash_value', '500'],
    ...extra,
  ];
}

export const HEX16 = /^[0-9a-f]{16}$/;
