/**
 * When the platform refuses a signature, its hint carries the text it signed (secret masked).
 * Set beside ours, the difference tells an installer what to fix.
 */
import type { SignatureDiagnosis } from '../../shared/platform/outcome.ts';
import { leaveRecordSchema } from '../../shared/records/leave.ts';
import { updateRecordSchema } from '../../shared/records/update.ts';

/** Every parameter name the form endpoints know, so that `plate=` starts a pair but an image URL's `f=GIF` does not. */
const FORM_PARAMS: ReadonlySet<string> = new Set([
  ...Object.keys(updateRecordSchema.shape),
  ...Object.keys(leaveRecordSchema.shape),
  'park_uuid',
  'app_id',
  'api_type',
  'encoding',
  'sign',
  'app_secret',
]);

/** The platform's plain text out of a hint, or null when the hint carries none. */
export function platformPlainText(hint: string | null): string | null {
  if (!hint) return null;
  const bracketed = /签名验证不通过\s*\[([\s\S]*)\]\s*$/.exec(hint);
  const text = bracketed ? bracketed[1]! : hint.includes('app_secret=') ? hint : null;
  // The platform escapes quotes to return the text inside JSON; it signed them unescaped.
  return text === null ? null : text.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
}

/**
 * Splits `k=v&k=v` where values may themselves contain `&` (an image URL's query): a new pair
 * starts only at a key we know or one shaped like the platform's (snake_case with an underscore).
 */
export function splitPlain(text: string, knownKeys: ReadonlySet<string>): Map<string, string> {
  const pairs = new Map<string, string>();
  let current: string | null = null;
  for (const token of text.split('&')) {
    const m = /^([a-z][a-z0-9_]*)=/.exec(token);
    if (m && (knownKeys.has(m[1]!) || m[1]!.includes('_'))) {
      current = m[1]!;
      pairs.set(current, token.slice(current.length + 1));
    } else if (current !== null) {
      pairs.set(current, `${pairs.get(current)}&${token}`);
    }
  }
  return pairs;
}

/** Parameters of the credentials and the signing itself, not of the record. */
const NOT_RECORD: ReadonlySet<string> = new Set(['park_uuid', 'app_id', 'api_type', 'encoding', 'sign', 'app_secret']);

/**
 * The record's values the platform read differently from what was sent (a mis-decoded character, as in the
 * vendor's `plate=?KKKKKK`): fields both sides have, with different values. Empty when the texts differ only
 * in the credentials, or in fields one side lacks.
 */
export function misreadFields(d: Pick<SignatureDiagnosis, 'fields'>): SignatureDiagnosis['fields'] {
  return d.fields.filter((f) => f.ours !== null && f.theirs !== null && !NOT_RECORD.has(f.field));
}

const clip = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}…` : v);

function misreadSummary(misread: SignatureDiagnosis['fields'], encodingUrl: boolean): string {
  const which = misread.map((f) => `${f.field} (发送 "${clip(f.ours!)}", 平台读到 "${clip(f.theirs!)}")`).join(', ');
  const fix = encodingUrl
    ? '已使用 URL 编码 (encoding=URL), 请核对这些值后修改记录。'
    : '多为中文等字符的编码问题: 请在设置中开启 URL 编码 (encoding=URL) 后重新提交此记录。';
  return `平台读到的记录值与发送的不同: ${which}。${fix}`;
}

export function diagnoseSignature(oursMasked: string, hint: string | null): SignatureDiagnosis | null {
  const theirs = platformPlainText(hint);
  if (theirs === null) return null;
  const identical = theirs === oursMasked;
  let firstDifference = -1;
  if (!identical) {
    const n = Math.min(theirs.length, oursMasked.length);
    firstDifference = n;
    for (let i = 0; i < n; i++) {
      if (theirs[i] !== oursMasked[i]) {
        firstDifference = i;
        break;
      }
    }
  }
  const fields: SignatureDiagnosis['fields'] = [];
  if (!oursMasked.startsWith('{')) {
    const oursPairs = splitPlain(oursMasked, FORM_PARAMS);
    const theirPairs = splitPlain(theirs, FORM_PARAMS);
    const keys = [...new Set([...oursPairs.keys(), ...theirPairs.keys()])].sort();
    for (const k of keys) {
      const o = oursPairs.get(k) ?? null;
      const t = theirPairs.get(k) ?? null;
      if (o !== t) fields.push({ field: k, ours: o, theirs: t });
    }
  }
  let summary: string;
  if (identical) {
    summary = '双方签名原文一致: 唯一可能的差别是 app_secret (密钥), 请核对设置中的密钥。';
  } else if (misreadFields({ fields }).length > 0) {
    summary = misreadSummary(misreadFields({ fields }), /(^|&)encoding=URL(&|$)/.test(oursMasked));
  } else if (fields.length > 0) {
    summary = `签名原文不一致, 不同的字段: ${fields.map((f) => f.field).join(', ')}。`;
  } else {
    summary = `签名原文从第 ${firstDifference + 1} 个字符起不一致。`;
  }
  return { ours: oursMasked, theirs, identical, firstDifference, fields, summary };
}
