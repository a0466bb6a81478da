/**
 * Turns a validated record into exactly what goes on the wire for its endpoint, signed with the
 * credentials in force now. Nothing here sends; the client does.
 */
import { basename } from 'node:path';
import { ENDPOINTS, parseRecord, type Endpoint, type RecordOf } from '../../shared/platform/endpoints.ts';
import { RecordError, type FieldIssue } from '../../shared/records/fields.ts';
import { IMAGE_SLOTS, serialisePaymentList } from '../../shared/records/leave.ts';
import { hashFile } from './file-hash.ts';
import { signForm, signJson } from './sign.ts';
import { endpointUrl, type PlatformTarget } from './target.ts';
import { javaUrlEncode } from './url-encoding.ts';

export interface SentFile {
  field: string;
  path: string;
  name: string;
  size: number;
  md5: string;
}

export interface PreparedRequest {
  endpoint: Endpoint;
  url: string;
  /** Form parameters exactly as sent, `sign` included; for JSON, the top-level fields for the log. */
  params: Record<string, string>;
  files: SentFile[];
  /** JSON endpoints: the body text, serialised once; these bytes are signed and sent. */
  body: string | null;
  headers: Record<string, string>;
  plainMasked: string;
  signature: string;
  /** Idempotency keys the platform will see (vip-recharge: one per row). */
  keys: string[];
}

function credentialParams(target: PlatformTarget): Record<string, string> {
  const p: Record<string, string> = { park_uuid: target.parkUuid };
  if (target.appId) p.app_id = target.appId;
  return p;
}

function finishForm(
  endpoint: Endpoint,
  fields: Record<string, string>,
  files: SentFile[],
  target: PlatformTarget,
  key: string,
): PreparedRequest {
  let params: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== '') params[k] = v;
  if (target.encodingUrl) {
    params.encoding = 'URL';
    params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, javaUrlEncode(v)]));
  }
  const { signature, plainMasked } = signForm(params, target.appSecret);
  return {
    endpoint,
    url: endpointUrl(target.baseUrl, ENDPOINTS[endpoint].path),
    params: { ...params, sign: signature },
    files,
    body: null,
    headers: {},
    plainMasked,
    signature,
    keys: [key],
  };
}

function prepareUpdate(record: RecordOf['update'], target: PlatformTarget): PreparedRequest {
  const fields: Record<string, string> = { ...credentialParams(target) };
  for (const [k, v] of Object.entries(record)) if (v !== undefined) fields[k] = v;
  return finishForm('update', fields, [], target, record.flow_no);
}

async function prepareLeave(record: RecordOf['leave'], target: PlatformTarget): Promise<PreparedRequest> {
  const fields: Record<string, string> = { ...credentialParams(target) };
  const fileFields = new Set<string>(IMAGE_SLOTS.map((s) => `${s}_file`));
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined || fileFields.has(k) || k === 'payment_list') continue;
    fields[k] = String(v);
  }
  if (record.payment_list && record.payment_list.length > 0)
    fields.payment_list = serialisePaymentList(record.payment_list);
  // api_type goes only with app_id: without one, a record's own api_type is not sent.
  if (!target.appId) delete fields.api_type;
  else if (!fields.api_type && target.apiType) fields.api_type = target.apiType;

  const issues: FieldIssue[] = [];
  if (target.appId && !fields.api_type)
    issues.push({ field: 'api_type', message: '传 app_id 时必填 (设置或记录中提供)' });
  const files: SentFile[] = [];
  for (const slot of IMAGE_SLOTS) {
    const path = record[`${slot}_file`];
    if (!path) continue;
    try {
      const { size, md5 } = await hashFile(path);
      const given = record[`${slot}_hash`];
      if (given && given.toUpperCase() !== md5) {
        issues.push({ field: `${slot}_hash`, message: `与文件不一致 (文件的 MD5 为 ${md5})` });
      }
      fields[`${slot}_hash`] = md5;
      files.push({ field: `${slot}_file`, path, name: basename(path), size, md5 });
    } catch {
      // Missing or unreadable: named in the RecordError below, and nothing is sent.
      issues.push({ field: `${slot}_file`, message: `文件不存在或无法读取: ${path}` });
    }
  }
  if (issues.length > 0) throw new RecordError(issues);
  return finishForm('leave', fields, files, target, record.parking_serial);
}

function prepareVip(batch: RecordOf['vip-recharge'], target: PlatformTarget): PreparedRequest {
  // Keys in ASCII order, as the vendor's own sample (a TreeMap) serialises them.
  const body = JSON.stringify({
    ...(batch.complete !== undefined ? { complete: batch.complete } : {}),
    park_uuid: target.parkUuid,
    row: batch.row,
  });
  const { signature, plainMasked } = signJson(body, target.appSecret);
  const params: Record<string, string> = { park_uuid: target.parkUuid, rows: String(batch.row.length) };
  if (batch.complete !== undefined) params.complete = String(batch.complete);
  return {
    endpoint: 'vip-recharge',
    url: endpointUrl(target.baseUrl, ENDPOINTS['vip-recharge'].path),
    params,
    files: [],
    body,
    headers: { 'Content-Type': 'application/json; charset=UTF-8', Authorization: signature },
    plainMasked,
    signature,
    keys: batch.row.map((r) => r.pay_partner),
  };
}

/**
 * Validates `record` (throws RecordError naming every bad field, before anything is signed),
 * hashes its images by streaming, and signs with `target`'s credentials.
 */
export async function prepareRequest(
  endpoint: Endpoint,
  record: unknown,
  target: PlatformTarget,
): Promise<PreparedRequest> {
  switch (endpoint) {
    case 'update':
      return prepareUpdate(parseRecord('update', record), target);
    case 'leave':
      return prepareLeave(parseRecord('leave', record), target);
    case 'vip-recharge':
      return prepareVip(parseRecord('vip-recharge', record), target);
  }
}
