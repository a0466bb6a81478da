/**
 * The one file `sign` and `push` both take: one record with the platform's own parameter names
 * (`payment_list` as its JSON text or as an array; images as `*_file` paths, relative to the file), or a
 * vip-recharge batch. The parameters of the credentials (`park_uuid`, `app_id`, `api_type`, `encoding`) may
 * be in the file or in the flags, not different in both; a `sign` in the file is dropped (never signed).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import { FILE_FIELDS } from '../../shared/records/leave.ts';
import type { PlatformTarget } from '../platform/target.ts';
import { CliError } from './args.ts';
import { callerPath, readJsonObject } from './files.ts';

/** Flags of the credentials, each with the parameter it stands for in a file. */
const CREDENTIALS = [
  ['park-uuid', 'park_uuid'],
  ['app-id', 'app_id'],
  ['api-type', 'api_type'],
] as const;

export interface PlatformFile {
  /** The record as prepareRequest takes it. */
  record: Record<string, unknown>;
  /** Credential parameters found in the file (flag name → value); `encoding-url` when it says encoding=URL. */
  credentials: Record<string, string>;
  encodingUrl: boolean;
}

function paymentList(path: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return undefined;
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new CliError(`${path}: payment_list 不是合法的 JSON 文本: ${(e as Error).message}`);
  }
}

export async function readPlatformFile(given: string, endpoint: Endpoint): Promise<PlatformFile> {
  const path = callerPath(given);
  const record = await readJsonObject(path);
  delete record.sign;
  const credentials: Record<string, string> = {};
  for (const [flag, param] of CREDENTIALS) {
    const v = record[param];
    // A leave record has an api_type of its own (the platform's parameter): it stays in the record.
    if (v === undefined || (param === 'api_type' && endpoint === 'leave')) continue;
    delete record[param];
    if (v === null || v === '') continue;
    if (typeof v !== 'string' && typeof v !== 'number') throw new CliError(`${path}: ${param} 须为文本`);
    credentials[flag] = String(v);
  }
  let encodingUrl = false;
  if (record.encoding !== undefined) {
    if (record.encoding !== 'URL' && record.encoding !== '' && record.encoding !== null)
      throw new CliError(`${path}: encoding 只能为 URL, 收到 ${JSON.stringify(record.encoding)}`);
    encodingUrl = record.encoding === 'URL';
    delete record.encoding;
  }
  if (endpoint !== 'vip-recharge' && 'payment_list' in record)
    record.payment_list = paymentList(path, record.payment_list);
  for (const field of FILE_FIELDS) {
    const p = record[field];
    if (typeof p === 'string' && p !== '' && !isAbsolute(p)) record[field] = resolve(dirname(path), p);
  }
  return { record, credentials, encodingUrl };
}

/**
 * Flags and file together: each credential from the flag or the file (an error when both say different
 * things), `encoding=URL` from `--encoding-url` or the file. `park_uuid` is required.
 */
export function mergeCredentials(
  command: string,
  values: Record<string, string>,
  switches: Set<string>,
  file: PlatformFile,
): { values: Record<string, string>; switches: Set<string> } {
  const merged = { ...values };
  for (const [flag, param] of CREDENTIALS) {
    const fromFile = file.credentials[flag];
    if (fromFile === undefined) continue;
    if (merged[flag] !== undefined && merged[flag] !== fromFile) {
      throw new CliError(`${command}: --${flag} (${merged[flag]}) 与文件中的 ${param} (${fromFile}) 不一致`);
    }
    merged[flag] = fromFile;
  }
  const apiTypeInRecord = file.record.api_type;
  if (
    typeof apiTypeInRecord === 'string' &&
    merged['api-type'] !== undefined &&
    merged['api-type'] !== apiTypeInRecord
  ) {
    throw new CliError(
      `${command}: --api-type (${merged['api-type']}) 与文件中的 api_type (${apiTypeInRecord}) 不一致`,
    );
  }
  if (!merged['park-uuid']) throw new CliError(`${command}: 缺少 park_uuid: 用 --park-uuid 给出, 或写在文件中`);
  const withEncoding = new Set(switches);
  if (file.encodingUrl) withEncoding.add('encoding-url');
  return { values: merged, switches: withEncoding };
}

/** The target `sign` signs for: as `push` would send, without an address (nothing is sent). */
export function signingTarget(values: Record<string, string>, switches: Set<string>, secret: string): PlatformTarget {
  return {
    baseUrl: 'http://127.0.0.1',
    parkUuid: values['park-uuid']!,
    appSecret: secret,
    appId: values['app-id'],
    apiType: values['api-type'],
    encodingUrl: switches.has('encoding-url'),
    mode: 'integration',
  };
}
